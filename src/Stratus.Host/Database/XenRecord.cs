using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Database;

/// <summary>A read-only dictionary view over a row's values: what the codecs serialise for get_record and events.</summary>
internal sealed class XenRecord(XenClass cls, object?[] values) : IReadOnlyDictionary<string, object?>
{
    public int Count => values.Length;

    public IEnumerable<string> Keys => cls.Fields.Select(f => f.Name);

    public IEnumerable<object?> Values => values;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => cls.Field(key) is not null;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (cls.Field(key) is { } field)
        {
            value = values[field.Index];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        var fields = cls.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            yield return new KeyValuePair<string, object?>(fields[i].Name, values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
