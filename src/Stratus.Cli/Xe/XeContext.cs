using Stratus.XenApi;

namespace Stratus.Cli.Xe;

/// <summary>
/// What one xe command works with: the API, the printer, and a per-command cache of records by class. xapi's CLI
/// turns refs into uuids and names through its database index (records.ml <c>get_uuid_from_ref</c>); a client
/// does the same with <c>C.get_all_records</c>, fetched at most once per class and command.
/// </summary>
internal sealed class XeContext(IXenApi api, XePrinter printer, TimeProvider time)
{
    /// <summary>records.ml <c>nid</c>: what a ref prints as when it names nothing (including OpaqueRef:NULL).</summary>
    public const string NotInDatabase = "<not in database>";

    // The classes whose refs error messages are most likely to carry, in the order they are probed.
    private static readonly string[] RefClasses =
        ["VM", "host", "SR", "VDI", "VBD", "VIF", "network", "PIF", "PBD", "pool", "task", "console", "VM_metrics", "host_metrics", "SM"];

    private readonly Dictionary<string, Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>>> _classes = new(StringComparer.Ordinal);

    public IXenApi Api { get; } = api;

    public XePrinter Printer { get; } = printer;

    public TimeProvider Time { get; } = time;

    public Task<object?> CallAsync(string method, CancellationToken cancellationToken, params object?[] arguments) =>
        Api.CallAsync(method, arguments, cancellationToken);

    /// <summary><c>C.get_all_records</c>, once per class; a class the server does not know has no records.</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>> AllRecordsAsync(string apiClass, CancellationToken cancellationToken)
    {
        if (!_classes.TryGetValue(apiClass, out var task))
        {
            task = FetchAllAsync(apiClass, cancellationToken);
            _classes[apiClass] = task;
        }

        return task;
    }

    /// <summary>Seeds the cache with records already fetched (a list command's <c>get_all_records_where "true"</c>).</summary>
    public void Remember(string apiClass, IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> records) =>
        _classes[apiClass] = Task.FromResult(records);

    /// <summary>Forgets what was cached, after a command changed objects it will read again.</summary>
    public void Forget() => _classes.Clear();

    /// <summary>The record a ref names, or null when the ref is null, dangling or of an unknown class.</summary>
    public async Task<IReadOnlyDictionary<string, object?>?> RecordAsync(string apiClass, object? reference, CancellationToken cancellationToken)
    {
        if (reference is not string r || XenRef.IsNull(r))
        {
            return null;
        }

        var all = await AllRecordsAsync(apiClass, cancellationToken);
        return all.GetValueOrDefault(r);
    }

    /// <summary>records.ml <c>get_uuid_from_ref</c>.</summary>
    public async Task<string> UuidOfAsync(string apiClass, object? reference, CancellationToken cancellationToken)
    {
        var record = await RecordAsync(apiClass, reference, cancellationToken);
        return record is not null && record.TryGetValue("uuid", out var uuid) ? XeText.Of(uuid) : NotInDatabase;
    }

    /// <summary>records.ml <c>get_name_from_ref</c>.</summary>
    public async Task<string> NameOfAsync(string apiClass, object? reference, CancellationToken cancellationToken)
    {
        var record = await RecordAsync(apiClass, reference, cancellationToken);
        return record is not null && record.TryGetValue("name_label", out var name) ? XeText.Of(name) : NotInDatabase;
    }

    /// <summary>
    /// cli_util.ml <c>ref_convert</c> for error parameters: a ref of a known object prints as "uuid (name-label)"
    /// (or just the uuid for classes without names); anything else prints unchanged.
    /// </summary>
    public async Task<string> DescribeRefAsync(string value, CancellationToken cancellationToken)
    {
        if (!value.StartsWith(XenRef.Prefix, StringComparison.Ordinal) || XenRef.IsNull(value))
        {
            return value;
        }

        foreach (var (_, task) in _classes)
        {
            if (task.IsCompletedSuccessfully && task.Result.TryGetValue(value, out var known))
            {
                return Describe(known);
            }
        }

        foreach (var apiClass in RefClasses)
        {
            try
            {
                if (await CallAsync($"{apiClass}.get_record", cancellationToken, value) is IReadOnlyDictionary<string, object?> record)
                {
                    return Describe(record);
                }
            }
            catch (XenApiFailure)
            {
                // Not of this class (HANDLE_INVALID), or a class the server does not have: try the next one.
            }
        }

        return value;
    }

    private static string Describe(IReadOnlyDictionary<string, object?> record)
    {
        var uuid = XeText.Of(record.GetValueOrDefault("uuid"));
        return record.TryGetValue("name_label", out var name) ? $"{uuid} ({XeText.Of(name)})" : uuid;
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>> FetchAllAsync(string apiClass, CancellationToken cancellationToken)
    {
        try
        {
            return XeText.Records(await CallAsync($"{apiClass}.get_all_records", cancellationToken));
        }
        catch (XenApiFailure)
        {
            return new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
        }
    }
}
