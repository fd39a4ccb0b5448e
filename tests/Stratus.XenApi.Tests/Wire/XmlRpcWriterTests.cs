using Stratus.XenApi.Wire;

namespace Stratus.XenApi.Tests.Wire;

public sealed class XmlRpcWriterTests
{
    [Fact]
    public void WriteSuccess_String_MatchesGolden() =>
        Assert.Equal(Golden.Text("xmlrpc/success-string.xml"), Golden.Write(o => XmlRpcWriter.WriteSuccess(o, "Running")));

    [Fact]
    public void WriteSuccess_Void_IsEmptyValue() =>
        Assert.Equal(Golden.Text("xmlrpc/success-void.xml"), Golden.Write(o => XmlRpcWriter.WriteSuccess(o, "")));

    [Fact]
    public void WriteFailure_ErrorDescription_MatchesGoldenAndIsNeverAFault()
    {
        var xml = Golden.Write(o => XmlRpcWriter.WriteFailure(o,
            ["VM_BAD_POWER_STATE", "OpaqueRef:0b9c1d27-5b3f-4e0c-a3f2-7d7ad2f1c0aa", "halted", "running"]));
        Assert.Equal(Golden.Text("xmlrpc/failure-bad-power-state.xml"), xml);
        Assert.DoesNotContain("<fault>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteBare_ListMethods_HasNoStatusWrapper() =>
        Assert.Equal(Golden.Text("xmlrpc/list-methods-bare.xml"),
            Golden.Write(o => XmlRpcWriter.WriteBare(o, new object?[] { "VM.get_all_records", "VM.start", "system.listMethods" })));

    [Fact]
    public void WriteSuccess_EveryValueType_MatchesXapiForms()
    {
        // Strings and 64-bit ints untyped, bools 0/1, doubles %.16g, xapi's dash-less datetime, Int32 as <i4>,
        // markup escaped.
        var xml = Golden.Write(o => XmlRpcWriter.WriteSuccess(o, SampleValues.EveryType("web <1> & co", withDoubles: true)));
        Assert.Equal(Golden.Text("xmlrpc/success-every-type.xml"), xml);
    }

    [Fact]
    public void ToValueString_Ref_IsTaskResultFragment() =>
        Assert.Equal(Golden.Text("xmlrpc/task-result-ref.xml"), XmlRpcWriter.ToValueString("OpaqueRef:9a1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11"));

    [Fact]
    public void ToValueString_RefSet_IsTaskResultFragment() =>
        Assert.Equal(Golden.Text("xmlrpc/task-result-set.xml"), XmlRpcWriter.ToValueString(new object?[]
        {
            "OpaqueRef:9a1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11", "OpaqueRef:91aa2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11",
        }));

    [Fact]
    public void WriteCall_SessionAndRef_MatchesContractExample() =>
        Assert.Equal(Golden.Text("xmlrpc/call-get-power-state.xml"), Golden.Write(o => XmlRpcWriter.WriteCall(o, "VM.get_power_state",
            ["OpaqueRef:6f1c2c3e-8a0e-4b53-9c3a-2b7f0f5d1e11", "OpaqueRef:0b9c1d27-5b3f-4e0c-a3f2-7d7ad2f1c0aa"])));

    [Theory]
    [InlineData("a\rb", "<value>a&#13;b</value>")]
    [InlineData("tab\tnewline\n", "<value>tab\tnewline\n</value>")]
    [InlineData("bell\u0007", "<value>bell&#xFFFD;</value>")]
    [InlineData("\"quotes\" 'kept'", "<value>\"quotes\" 'kept'</value>")]
    [InlineData("ünïcödé ✓", "<value>ünïcödé ✓</value>")]
    public void WriteValue_Text_EscapesOnlyWhatXmlNeeds(string text, string expected) =>
        Assert.Equal(expected, XmlRpcWriter.ToValueString(text));

    [Fact]
    public void WriteValue_UnsupportedType_Throws() =>
        Assert.Throws<ArgumentException>(() => XmlRpcWriter.ToValueString(new Uri("http://x")));
}
