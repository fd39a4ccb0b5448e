namespace Stratus.Host.Database.Where;

/// <summary>A side of an equality: <c>field "name__label"</c> or a <c>"literal"</c>.</summary>
internal sealed record WhereOperand(string Text, bool IsField);
