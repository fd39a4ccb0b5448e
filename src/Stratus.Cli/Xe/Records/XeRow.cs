namespace Stratus.Cli.Xe.Records;

/// <summary>One object as the CLI sees it (records.ml's record): its ref, its API record and its class's fields.</summary>
internal sealed class XeRow(XeRecordType type, string reference, IReadOnlyDictionary<string, object?> record, XeContext context)
{
    private IReadOnlyList<XeField>? _fields;

    public XeRecordType Type { get; } = type;

    public string Ref { get; } = reference;

    public IReadOnlyDictionary<string, object?> Record { get; } = record;

    public XeContext Context { get; } = context;

    /// <summary>The class's fields this server has, in records.ml order.</summary>
    public IReadOnlyList<XeField> Fields => _fields ??= Type.Fields.Where(f => f.IsAvailable(Record)).ToArray();

    public object? this[string apiField] => Record.GetValueOrDefault(apiField);

    /// <summary>records.ml <c>field_lookup</c>.</summary>
    public XeField Field(string name) => Fields.FirstOrDefault(f => f.Name == name) ?? throw new XeUnknownFieldException(name);

    public XeField? FindField(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>
    /// records.ml <c>safe_get_field</c>: the field's string, "&lt;invalid reference&gt;" when the object vanished
    /// (HANDLE_INVALID), null when the server does not provide it.
    /// </summary>
    public async ValueTask<string?> GetAsync(XeField field, CancellationToken cancellationToken)
    {
        try
        {
            return await field.Get(this, cancellationToken);
        }
        catch (Stratus.XenApi.XenApiFailure failure) when (failure.Code == Stratus.XenApi.XenErrors.HandleInvalid)
        {
            return "<invalid reference>";
        }
        catch (Stratus.XenApi.XenApiFailure failure) when (failure.Code == Stratus.XenApi.XenErrors.MessageMethodUnknown)
        {
            return null;
        }
    }

    /// <summary>The record of a ref this object holds (VM.metrics, VIF.network, ...), or null.</summary>
    public Task<IReadOnlyDictionary<string, object?>?> RelatedAsync(string apiField, string apiClass, CancellationToken cancellationToken) =>
        Context.RecordAsync(apiClass, this[apiField], cancellationToken);

    public Task<object?> CallAsync(string method, CancellationToken cancellationToken, params object?[] arguments) =>
        Context.CallAsync(method, cancellationToken, arguments);
}
