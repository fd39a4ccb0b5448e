using Stratus.Host.Database;
using Stratus.Host.Database.Where;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Tests.Database;

public sealed class WhereParserTests
{
    private static readonly WhereExpression A = Eq("a");
    private static readonly WhereExpression B = Eq("b");
    private static readonly WhereExpression C = Eq("c");

    [Fact]
    public void Parse_AndOr_SamePrecedenceLeftAssociative()
    {
        // db_filter_parse.mly: %left LAND LOR, so "a or b and c" is "(a or b) and c", not "a or (b and c)".
        Assert.Equal(new WhereExpression.And(new WhereExpression.Or(A, B), C), WhereParser.Parse($"{Text("a")} or {Text("b")} and {Text("c")}"));
        Assert.Equal(new WhereExpression.Or(new WhereExpression.And(A, B), C), WhereParser.Parse($"{Text("a")} and {Text("b")} or {Text("c")}"));
    }

    [Fact]
    public void Parse_Not_ReachesToTheEndOfTheChain()
    {
        // %right LNOT is declared first (lowest precedence): "not a and b" is "not (a and b)".
        Assert.Equal(new WhereExpression.Not(new WhereExpression.And(A, B)), WhereParser.Parse($"not {Text("a")} and {Text("b")}"));
        Assert.Equal(new WhereExpression.And(A, new WhereExpression.Not(new WhereExpression.Or(B, C))),
            WhereParser.Parse($"{Text("a")} and not {Text("b")} or {Text("c")}"));
        Assert.Equal(new WhereExpression.And(new WhereExpression.Not(A), B), WhereParser.Parse($"(not {Text("a")}) and {Text("b")}"));
    }

    [Fact]
    public void Parse_ParenthesesConstantsAndLayout()
    {
        Assert.Equal(new WhereExpression.Or(A, new WhereExpression.And(B, C)), WhereParser.Parse($"{Text("a")} or ({Text("b")} and {Text("c")})"));
        Assert.Equal(new WhereExpression.Constant(true), WhereParser.Parse("true"));
        Assert.Equal(new WhereExpression.Not(new WhereExpression.Constant(false)), WhereParser.Parse(" not\tfalse\n"));
        Assert.Equal(new WhereExpression.Equal(new WhereOperand("x", false), new WhereOperand("name__label", true)),
            WhereParser.Parse("\"x\"=field \"name__label\""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("field \"a\"")]
    [InlineData("field \"a\" = ")]
    [InlineData("field a = \"b\"")]
    [InlineData("field \"a\" = \"b")]
    [InlineData("(true")]
    [InlineData("true)")]
    [InlineData("true and")]
    [InlineData("field \"a\" == \"b\"")]
    [InlineData("true xor false")]
    public void Parse_Malformed_IsInvalidValueWithTheExpression(string text)
    {
        var failure = Assert.Throws<XenApiFailure>(() => WhereParser.Parse(text));
        Assert.Equal("INVALID_VALUE", failure.Code);
        Assert.Equal(text, failure.Parameters[0]);
    }

    [Fact]
    public void Matches_NovaFilters_CompareDatabaseStrings()
    {
        using var db = new ObjectDatabase(null);
        var host = "OpaqueRef:" + Guid.NewGuid();
        var vms = db.Write(tx => new[]
        {
            tx.Create(XenModel.VM, Map(("name_label", "br"), ("is_control_domain", false), ("resident_on", host), ("memory_static_max", 1024L))),
            tx.Create(XenModel.VM, Map(("name_label", "dom0"), ("is_control_domain", true), ("resident_on", host))),
            tx.Create(XenModel.VM, Map(("name_label", "other"), ("is_control_domain", false))),
        });
        string[] Where(string text)
        {
            var filter = WhereParser.Parse(text);
            WhereEvaluator.Validate(filter, XenModel.VM, text);
            return db.Read(tx => tx.All(XenModel.VM).Where(r => WhereEvaluator.Matches(filter, r)).Select(r => r.Ref).Order().ToArray());
        }

        Assert.Equal([vms[0]], Where($"field \"is_control_domain\"=\"false\" and field \"resident_on\"=\"{host}\""));
        Assert.Equal(new[] { vms[0], vms[2] }.Order(), Where("field \"name__label\" = \"br\" or field \"name__label\" = \"other\""));
        Assert.Equal([vms[0]], Where("field \"memory__static_max\"=\"1024\""));
        Assert.Equal([vms[0]], Where("field \"name_label\"=\"br\""));
        Assert.Equal(vms.Order(), Where("true"));
        Assert.Empty(Where("false"));
        Assert.Equal(new[] { vms[1], vms[2] }.Order(), Where("not field \"name__label\"=\"br\""));
        var failure = Assert.Throws<XenApiFailure>(() => Where("field \"no_such\"=\"x\""));
        Assert.Equal("INVALID_VALUE", failure.Code);
    }

    private static string Text(string name) => $"field \"{name}\"=\"1\"";

    private static WhereExpression.Equal Eq(string name) => new(new WhereOperand(name, true), new WhereOperand("1", false));

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
