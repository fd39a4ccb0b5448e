using Stratus.Cli.Xe.Records;
using Stratus.XenApi;

namespace Stratus.Cli.Xe.Commands;

/// <summary>Fetches the objects of a CLI class as rows.</summary>
internal static class XeRows
{
    /// <summary>
    /// <c>C.get_all_records_where(expr)</c>, as xapi's CLI asks for it; a server without that call gets
    /// <c>C.get_all_records</c> and the uuid/name-label match (the only expression xe builds) is done here.
    /// </summary>
    public static async Task<IReadOnlyList<XeRow>> AllAsync(XeRecordType type, XeContext context, CancellationToken cancellationToken, string? uuidOrName = null)
    {
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> records;
        var expr = uuidOrName is null ? "true" : $"(field \"uuid\"=\"{Escape(uuidOrName)}\") or (field \"name__label\"=\"{Escape(uuidOrName)}\")";
        try
        {
            records = XeText.Records(await context.CallAsync($"{type.ApiClass}.get_all_records_where", cancellationToken, expr));
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.MessageMethodUnknown)
        {
            records = XeText.Records(await context.CallAsync($"{type.ApiClass}.get_all_records", cancellationToken));
            if (uuidOrName is not null)
            {
                records = records
                    .Where(p => XeText.Of(p.Value.GetValueOrDefault("uuid")) == uuidOrName || XeText.Of(p.Value.GetValueOrDefault("name_label")) == uuidOrName)
                    .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            }
        }

        if (uuidOrName is null)
        {
            context.Remember(type.ApiClass, records);
        }

        return records.Select(p => type.Row(p.Key, p.Value, context)).ToArray();
    }

    /// <summary><c>C.get_by_uuid</c> then <c>C.get_record</c> (UUID_INVALID for an unknown uuid).</summary>
    public static async Task<XeRow> ByUuidAsync(XeRecordType type, XeContext context, string uuid, CancellationToken cancellationToken)
    {
        var reference = XeText.Of(await context.CallAsync($"{type.ApiClass}.get_by_uuid", cancellationToken, uuid));
        return await ByRefAsync(type, context, reference, cancellationToken);
    }

    public static async Task<XeRow> ByRefAsync(XeRecordType type, XeContext context, string reference, CancellationToken cancellationToken)
    {
        var record = await context.CallAsync($"{type.ApiClass}.get_record", cancellationToken, reference) as IReadOnlyDictionary<string, object?>
            ?? throw new XenApiFailure(XenErrors.HandleInvalid, type.ApiClass, reference);
        return type.Row(reference, record, context);
    }

    /// <summary>cli_operations.ml <c>escape_quotes</c>: a '"' in a name must not end the filter's string.</summary>
    private static string Escape(string value) => value.Replace("\"", "\\\"", StringComparison.Ordinal);
}
