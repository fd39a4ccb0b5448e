namespace Stratus.XenApi.Schema;

/// <summary>A XenAPI enumeration. Input is matched case-insensitively (nova sends <c>disk</c> for <c>Disk</c>).</summary>
public sealed class XenEnum
{
    private readonly Dictionary<string, string> _canonical;

    public XenEnum(string name, IReadOnlyList<string> values)
    {
        Name = name;
        Values = values;
        _canonical = values.ToDictionary(v => v, v => v, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public IReadOnlyList<string> Values { get; }

    public bool TryCanonical(string input, out string canonical) =>
        _canonical.TryGetValue(input, out canonical!);

    public override string ToString() => Name;
}
