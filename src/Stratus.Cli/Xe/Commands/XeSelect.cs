using System.Globalization;
using Stratus.Cli.Xe.Records;
using Stratus.XenApi;

namespace Stratus.Cli.Xe.Commands;

/// <summary>
/// Object selectors (cli_operations.ml <c>select_vms</c>, <c>do_vm_op</c>, <c>do_host_op</c>, <c>do_multiple</c>):
/// any list field is a filter, <c>vm=</c> / <c>host=</c> / <c>sr=</c> match a name or uuid, more than one match
/// needs --multiple, and with --multiple every object is tried before the failures are reported.
/// </summary>
internal static class XeSelect
{
    public static async Task<IReadOnlyList<XeRow>> VmsAsync(XeInvocation inv, IReadOnlyCollection<string> ignore, bool includeControl, bool includeTemplates, CancellationToken ct)
    {
        var parameters = inv.Params;
        if (!includeControl)
        {
            parameters = parameters.Prepend("is-control-domain", "false");
        }

        if (!includeTemplates)
        {
            parameters = parameters.Prepend("is-a-template", "false");
        }

        return await SelectAsync(VmRecord.Vm, inv.Context, parameters, "vm", ignore, ct);
    }

    public static Task<IReadOnlyList<XeRow>> HostsAsync(XeInvocation inv, IReadOnlyCollection<string> ignore, CancellationToken ct) =>
        SelectAsync(HostRecord.Type, inv.Context, inv.Params, "host", ignore, ct);

    public static Task<IReadOnlyList<XeRow>> SrsAsync(XeInvocation inv, IReadOnlyCollection<string> ignore, CancellationToken ct) =>
        SelectAsync(SrRecord.Type, inv.Context, inv.Params, "sr", ignore, ct);

    /// <summary>
    /// cli_operations.ml <c>do_vm_op</c>: runs <paramref name="op"/> on the selected VMs. After each, alerts the
    /// operation raised for that VM are printed on stderr when more urgent than message-priority (default 5).
    /// </summary>
    public static async Task<IReadOnlyList<T>> DoVmOpAsync<T>(
        XeInvocation inv, Func<XeRow, Task<T>> op, IReadOnlyCollection<string> ignore, CancellationToken ct,
        bool includeControl = false, bool includeTemplates = false, bool multiple = true)
    {
        var priority = long.TryParse(inv.Params.Get("message-priority"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : 5L;
        IReadOnlyList<XeRow> vms;
        try
        {
            vms = await VmsAsync(inv, ignore, includeControl, includeTemplates, ct);
        }
        catch (XeUnknownFieldException e)
        {
            throw new XeCliFailure($"Parameter '{e.Name}' is not a field of the VM class. Failed to select VM for operation.");
        }

        async Task<T> Wrapped(XeRow vm)
        {
            var since = inv.Context.Time.GetUtcNow().UtcDateTime;
            var result = await op(vm);
            await PrintVmMessagesAsync(inv, vm, since, priority, ct);
            return result;
        }

        return vms.Count switch
        {
            0 => throw new XeCliFailure("No matching VMs found"),
            1 => [await Wrapped(vms[0])],
            _ when multiple && XeParse.BoolParam(inv.Params, "multiple") => await DoMultipleAsync(vms, Wrapped, inv.Context, ct),
            _ => throw new XeCliFailure(multiple
                ? "Multiple matches VMs found. --multiple required to complete the operation"
                : "Multiple matches VMs found. Operation can only be performed on one VM at a time"),
        };
    }

    /// <summary>cli_operations.ml <c>do_host_op</c>.</summary>
    public static async Task<IReadOnlyList<T>> DoHostOpAsync<T>(XeInvocation inv, Func<XeRow, Task<T>> op, IReadOnlyCollection<string> ignore, CancellationToken ct, bool multiple = true)
    {
        var hosts = await HostsAsync(inv, ignore, ct);
        return hosts.Count switch
        {
            0 => throw new XeCliFailure("No matching hosts found"),
            1 => [await op(hosts[0])],
            _ when multiple && XeParse.BoolParam(inv.Params, "multiple") => await DoMultipleAsync(hosts, op, inv.Context, ct),
            _ => throw new XeCliFailure(multiple
                ? "Multiple matching hosts found. --multiple required to complete the operation"
                : "Multiple matching hosts found. Operation can only be performed on one host at a time"),
        };
    }

    /// <summary>cli_operations.ml <c>do_multiple</c>.</summary>
    public static async Task<IReadOnlyList<T>> DoMultipleAsync<T>(IReadOnlyList<XeRow> rows, Func<XeRow, Task<T>> op, XeContext context, CancellationToken ct)
    {
        var failures = new List<KeyValuePair<string, string>>();
        var results = new List<T>();
        foreach (var row in rows)
        {
            try
            {
                results.Add(await op(row));
            }
            catch (Exception e) when (e is XenApiFailure or XeCliFailure or XeUnknownFieldException)
            {
                var uuid = XeText.Of(row["uuid"]);
                var message = e is XenApiFailure f && await XeErrors.DescribeAsync(f.Code, f.Parameters, context, ct) is { } d
                    ? d.Doc + "\n" + string.Join("\n", d.Lines)
                    : XeErrors.StringOfException(e);
                failures.Insert(0, new(uuid, message));
            }
        }

        if (failures.Count > 0)
        {
            throw new XeMultipleFailure(failures);
        }

        // OCaml folds the successes into a list front-first.
        results.Reverse();
        return results;
    }

    private static async Task<IReadOnlyList<XeRow>> SelectAsync(
        XeRecordType type, XeContext context, XeParams parameters, string nameOrUuidKey, IReadOnlyCollection<string> ignore, CancellationToken ct)
    {
        var nameOrUuid = parameters.Get(nameOrUuidKey);
        if (nameOrUuid is not null)
        {
            parameters = parameters.Without(nameOrUuidKey);
        }

        var rows = await XeRows.AllAsync(type, context, ct, nameOrUuid);
        var filters = parameters.Pairs.Where(p =>
        {
            // "other-config:key" is judged by its stem, "other-config".
            var colon = p.Key.IndexOf(':', StringComparison.Ordinal);
            var stem = colon >= 0 ? p.Key[..colon] : p.Key;
            return !XeParams.Standard.Contains(stem) && !ignore.Contains(stem);
        });
        return await XeFilters.FilterAllAsync(rows, filters, ct);
    }

    private static async Task PrintVmMessagesAsync(XeInvocation inv, XeRow vm, DateTime since, long priority, CancellationToken ct)
    {
        object? messages;
        try
        {
            messages = await inv.CallAsync("message.get", ct, "VM", XeText.Of(vm["uuid"]), since);
        }
        catch (XenApiFailure)
        {
            return;
        }

        foreach (var (_, message) in XeText.Records(messages))
        {
            if (XeText.ToLong(message.GetValueOrDefault("priority")) < priority)
            {
                inv.Printer.Stderr(
                    $"Message: time={XeText.Of(message.GetValueOrDefault("timestamp"))} priority={XeText.ToLong(message.GetValueOrDefault("priority"))} name='{XeText.Of(message.GetValueOrDefault("name"))}'\n");
            }
        }
    }
}
