using Stratus.XenApi;

namespace Stratus.Host.Database.Where;

/// <summary>Evaluates a filter against a row. Fields are named by column (<c>name__label</c>) or by wire name.</summary>
internal static class WhereEvaluator
{
    /// <summary>Checks that every field the filter names exists in the row's class.</summary>
    public static void Validate(WhereExpression expression, Stratus.XenApi.Schema.XenClass cls, string text)
    {
        switch (expression)
        {
            case WhereExpression.Equal eq:
                Check(eq.Left);
                Check(eq.Right);
                break;
            case WhereExpression.And and:
                Validate(and.Left, cls, text);
                Validate(and.Right, cls, text);
                break;
            case WhereExpression.Or or:
                Validate(or.Left, cls, text);
                Validate(or.Right, cls, text);
                break;
            case WhereExpression.Not not:
                Validate(not.Inner, cls, text);
                break;
        }

        void Check(WhereOperand operand)
        {
            if (operand.IsField && cls.FieldByColumn(operand.Text) is null)
            {
                throw new XenApiFailure(XenErrors.InvalidValue, text, $"{cls.Name} has no field {operand.Text}");
            }
        }
    }

    public static bool Matches(WhereExpression expression, Row row) => expression switch
    {
        WhereExpression.Constant c => c.Value,
        WhereExpression.Not n => !Matches(n.Inner, row),
        WhereExpression.And a => Matches(a.Left, row) && Matches(a.Right, row),
        WhereExpression.Or o => Matches(o.Left, row) || Matches(o.Right, row),
        WhereExpression.Equal e => Resolve(e.Left, row) == Resolve(e.Right, row),
        _ => false,
    };

    private static string Resolve(WhereOperand operand, Row row) =>
        operand.IsField ? XenValue.ToDbString(row[row.Class.FieldByColumn(operand.Text)!]) : operand.Text;
}
