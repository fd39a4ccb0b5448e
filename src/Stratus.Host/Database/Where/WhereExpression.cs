namespace Stratus.Host.Database.Where;

/// <summary>
/// A parsed <c>get_all_records_where</c> filter (database/db_filter_parse.mly):
/// equality of fields and literals combined with and/or/not. Comparison is on the database string form.
/// </summary>
internal abstract record WhereExpression
{
    public sealed record Equal(WhereOperand Left, WhereOperand Right) : WhereExpression;

    public sealed record And(WhereExpression Left, WhereExpression Right) : WhereExpression;

    public sealed record Or(WhereExpression Left, WhereExpression Right) : WhereExpression;

    public sealed record Not(WhereExpression Inner) : WhereExpression;

    public sealed record Constant(bool Value) : WhereExpression;
}
