namespace Stratus.Cli.Xe;

/// <summary>
/// A command's parameters as xapi's CLI sees them: an ordered association list in which a key may repeat and
/// lookups take the first match (<c>List.assoc</c>).
/// </summary>
internal sealed class XeParams(IReadOnlyList<KeyValuePair<string, string>> pairs)
{
    /// <summary>cli_operations.ml <c>stdparams</c>: accepted by every command, never a filter or a field.</summary>
    public static readonly IReadOnlySet<string> Standard = new HashSet<string>(StringComparer.Ordinal)
    {
        "server", "password", "port", "username", "minimal", "force", "multiple", "all", "message-priority", "trace",
    };

    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; } = pairs;

    public bool Has(string key) => Pairs.Any(p => p.Key == key);

    public string? Get(string key)
    {
        foreach (var (k, v) in Pairs)
        {
            if (k == key)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>A required parameter; the command table checked it is there before the command ran.</summary>
    public string Required(string key) => Get(key) ?? throw new XeUsageException("Required parameter not found", key);

    public string GetOrDefault(string key, string defaultValue) => Get(key) ?? defaultValue;

    /// <summary>
    /// cli_operations.ml <c>read_map_params</c>: the pairs whose key is "name" plus one separator character plus a
    /// key (<c>device-config:server=x</c>, and the old <c>device-config-server=x</c>).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Map(string name)
    {
        var length = name.Length + 1;
        return Pairs
            .Where(p => p.Key.StartsWith(name, StringComparison.Ordinal) && p.Key.Length > length)
            .Select(p => new KeyValuePair<string, string>(p.Key[length..], p.Value))
            .ToArray();
    }

    /// <summary>The same parameters with one added in front (cli_operations.ml conses default filters).</summary>
    public XeParams Prepend(string key, string value) => new([new(key, value), .. Pairs]);

    /// <summary><c>List.remove_assoc</c>: drops the first pair with that key.</summary>
    public XeParams Without(string key)
    {
        var list = Pairs.ToList();
        var index = list.FindIndex(p => p.Key == key);
        if (index >= 0)
        {
            list.RemoveAt(index);
        }

        return new XeParams(list);
    }
}
