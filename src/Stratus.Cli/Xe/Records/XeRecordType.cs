namespace Stratus.Cli.Xe.Records;

/// <summary>
/// A CLI class (cli_operations.ml <c>gen_cmds</c>): its name in commands (<c>vm</c>, <c>template</c>, <c>sr</c>), the
/// API class behind it, its fields, the filters every list applies and the columns a plain list shows.
/// </summary>
internal sealed class XeRecordType(string name, string apiClass, IReadOnlyList<XeField> fields)
{
    public string Name { get; } = name;

    public string ApiClass { get; } = apiClass;

    public IReadOnlyList<XeField> Fields { get; } = fields;

    /// <summary>Filters applied before the user's (vm: is-a-template=false).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DefaultFilters { get; init; } = [];

    /// <summary>The fields <c>&lt;class&gt;-list</c> shows without params= (printed in record order, not this order).</summary>
    public IReadOnlyList<string> DefaultListParams { get; init; } = [];

    /// <summary>Whether "xe help" lists <c>&lt;class&gt;-list</c> among the common commands (vm, network, sr).</summary>
    public bool StandardList { get; init; }

    public string Plural => Name + "s";

    public XeRow Row(string reference, IReadOnlyDictionary<string, object?> record, XeContext context) => new(this, reference, record, context);
}
