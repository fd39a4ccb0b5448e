namespace Stratus.Host.Api.Dispatch;

/// <summary>A call's arguments after coercion to the declared types, by position (session excluded).</summary>
internal sealed class Args(object?[] values)
{
    public int Count => values.Length;

    public object? this[int index] => values[index];

    public string String(int index) => (string)values[index]!;

    /// <summary>A ref argument; <c>""</c> has already become <c>OpaqueRef:NULL</c>.</summary>
    public string Ref(int index) => (string)values[index]!;

    public long Int(int index) => (long)values[index]!;

    public double Float(int index) => (double)values[index]!;

    public bool Bool(int index) => (bool)values[index]!;

    public IReadOnlyList<object?> Set(int index) => (IReadOnlyList<object?>)values[index]!;

    public IReadOnlyDictionary<string, object?> Map(int index) => (IReadOnlyDictionary<string, object?>)values[index]!;

    /// <summary>A <c>(string -> string) map</c> argument as plain strings.</summary>
    public IReadOnlyDictionary<string, string> StringMap(int index) =>
        Map(index).ToDictionary(p => p.Key, p => p.Value as string ?? "", StringComparer.Ordinal);
}
