namespace Stratus.Cli.Xe.Records;

/// <summary>
/// One CLI field of a class (records.ml <c>field</c>): its CLI name, how it reads as a string, and the setters,
/// set/map accessors and flags that decide how it prints (<c>( RO)</c>, <c>( RW)</c>, <c>(SRO)</c>, <c>(MRW)</c>, ...)
/// and which param commands accept it. A getter returns null when the server does not have what the field shows
/// (an older or smaller XenAPI); such a field is left out, as an xe of that server's version would not have it.
/// </summary>
internal sealed record XeField
{
    public required string Name { get; init; }

    /// <summary>The main record's API fields the field reads; when one is missing the field does not exist for that server.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];

    public required Func<XeRow, CancellationToken, ValueTask<string?>> Get { get; init; }

    public Func<XeRow, string, CancellationToken, Task>? Set { get; init; }

    public Func<XeRow, CancellationToken, ValueTask<IReadOnlyList<string>?>>? GetSet { get; init; }

    public Func<XeRow, string, CancellationToken, Task>? AddToSet { get; init; }

    public Func<XeRow, string, CancellationToken, Task>? RemoveFromSet { get; init; }

    public Func<XeRow, CancellationToken, ValueTask<IReadOnlyList<KeyValuePair<string, string>>?>>? GetMap { get; init; }

    public Func<XeRow, string, string, CancellationToken, Task>? AddToMap { get; init; }

    public Func<XeRow, string, CancellationToken, Task>? RemoveFromMap { get; init; }

    /// <summary>Changes one key without remove+add (PIF.set_property).</summary>
    public Func<XeRow, string, string, CancellationToken, Task>? SetInMap { get; init; }

    /// <summary>Replaces the pairs given on one command line in a single call (VM.set_bios_strings).</summary>
    public Func<XeRow, IReadOnlyList<KeyValuePair<string, string>>, CancellationToken, Task>? SetMap { get; init; }

    public Func<XeRow, CancellationToken, Task>? ClearMap { get; init; }

    /// <summary>Needs an extra call per object: lists print "&lt;expensive field&gt;" instead.</summary>
    public bool Expensive { get; init; }

    /// <summary>Shown only when asked for by name (params=..., param-get).</summary>
    public bool Hidden { get; init; }

    public bool Deprecated { get; init; }

    /// <summary>Filters compare without case (MAC addresses).</summary>
    public bool CaseInsensitive { get; init; }

    /// <summary>cli_operations.ml <c>print_field</c>: the key with its qualifier.</summary>
    public string Label
    {
        get
        {
            var qualifier = GetSet is not null ? (AddToSet is null ? " (SRO)" : " (SRW)")
                : GetMap is not null ? (AddToMap is null ? " (MRO)" : " (MRW)")
                : Set is null ? " ( RO)" : " ( RW)";
            return Name + qualifier + (Deprecated ? " [DEPRECATED]" : "");
        }
    }

    public bool IsAvailable(IReadOnlyDictionary<string, object?> record) => Requires.All(record.ContainsKey);
}
