using Stratus.XenApi;

namespace Stratus.Cli.Xe.Records;

/// <summary>
/// Building blocks for the per-class field tables: one helper per kind of getter records.ml uses, and the setters
/// and map/set accessors that call the API. Each takes the CLI name first and the API field second.
/// </summary>
internal static class XeFields
{
    /// <summary>A string or int field, printed as sent (<c>Int64.to_string</c> gives the same digits).</summary>
    public static XeField Text(string name, string api) =>
        new() { Name = name, Requires = [api], Get = (row, _) => new(XeText.Of(row[api])) };

    /// <summary><c>string_of_bool</c>.</summary>
    public static XeField Bool(string name, string api) =>
        new() { Name = name, Requires = [api], Get = (row, _) => new(XeText.Bool(row[api])) };

    /// <summary>records.ml <c>string_of_float</c> ("%.3f").</summary>
    public static XeField Float(string name, string api) =>
        new() { Name = name, Requires = [api], Get = (row, _) => new(XeText.Float(row[api])) };

    /// <summary>An enum through one of record_util.ml's <c>_to_string</c> functions.</summary>
    public static XeField Enum(string name, string api, Func<string, string>? toString = null) =>
        new() { Name = name, Requires = [api], Get = (row, _) => new((toString ?? (s => s))(XeText.Of(row[api]))) };

    /// <summary>An enum set, "a; b" (allowed-operations), with get_set when <paramref name="asSet"/>.</summary>
    public static XeField EnumSet(string name, string api, Func<string, string>? toString = null, bool asSet = true)
    {
        var convert = toString ?? (s => s);
        var field = new XeField { Name = name, Requires = [api], Get = (row, _) => new(XeText.JoinSemi(XeText.Set(row[api]).Select(convert))) };
        return asSet ? field with { GetSet = (row, _) => new(XeText.Set(row[api]).Select(convert).ToArray()) } : field;
    }

    /// <summary>A (task ref → operation) map shown as its operations (current-operations).</summary>
    public static XeField Operations(string name, string api, Func<string, string>? toString = null, bool asSet = true)
    {
        var convert = toString ?? (s => s);
        var field = new XeField { Name = name, Requires = [api], Get = (row, _) => new(XeText.JoinSemi(XeText.Map(row[api]).Select(p => convert(p.Value)))) };
        return asSet ? field with { GetSet = (row, _) => new(XeText.Map(row[api]).Select(p => convert(p.Value)).ToArray()) } : field;
    }

    /// <summary>records.ml <c>get_uuid_from_ref</c>.</summary>
    public static XeField RefUuid(string name, string api, string apiClass) =>
        new()
        {
            Name = name,
            Requires = [api],
            Get = async (row, ct) => await row.Context.UuidOfAsync(apiClass, row[api], ct),
        };

    /// <summary>records.ml <c>get_name_from_ref</c>.</summary>
    public static XeField RefName(string name, string api, string apiClass) =>
        new()
        {
            Name = name,
            Requires = [api],
            Get = async (row, ct) => await row.Context.NameOfAsync(apiClass, row[api], ct),
        };

    /// <summary>records.ml <c>get_uuids_from_refs</c>: "uuid1; uuid2", with get_set when <paramref name="asSet"/>.</summary>
    public static XeField RefUuids(string name, string api, string apiClass, bool asSet = false)
    {
        var field = new XeField { Name = name, Requires = [api], Get = async (row, ct) => XeText.JoinSemi(await UuidsAsync(row, api, apiClass, ct)) };
        return asSet ? field with { GetSet = async (row, ct) => await UuidsAsync(row, api, apiClass, ct) } : field;
    }

    /// <summary>records.ml <c>get_uuid_map_from_ref_map</c> (blobs: name → blob ref).</summary>
    public static XeField RefMap(string name, string api, string apiClass) =>
        new()
        {
            Name = name,
            Requires = [api],
            Get = async (row, ct) =>
            {
                var pairs = new List<KeyValuePair<string, string>>();
                foreach (var (key, value) in XeText.Map(row[api]))
                {
                    pairs.Add(new(key, await row.Context.UuidOfAsync(apiClass, value, ct)));
                }

                return XeText.JoinMap(pairs);
            },
        };

    /// <summary>A string set, "a; b" (or "a, b" with <paramref name="comma"/>), with get_set when <paramref name="asSet"/>.</summary>
    public static XeField Strings(string name, string api, bool asSet = false, bool comma = false)
    {
        var field = new XeField
        {
            Name = name,
            Requires = [api],
            Get = (row, _) => new(comma ? XeText.JoinComma(XeText.Set(row[api])) : XeText.JoinSemi(XeText.Set(row[api]))),
        };
        return asSet ? field with { GetSet = (row, _) => new(XeText.Set(row[api])) } : field;
    }

    /// <summary>A <c>tags</c>-style set: comma-joined, add_X/remove_X calls.</summary>
    public static XeField Tags(string name, string api, string apiClass) =>
        Strings(name, api, asSet: true, comma: true) with
        {
            AddToSet = Call2($"{apiClass}.add_{api}"),
            RemoveFromSet = Call2($"{apiClass}.remove_{api}"),
        };

    /// <summary>A map printed "k: v; k2: v2" without map access (( RO) in the listing).</summary>
    public static XeField MapText(string name, string api) =>
        new() { Name = name, Requires = [api], Get = (row, _) => new(XeText.JoinMap(XeText.Map(row[api]))) };

    /// <summary>A readable map (MRO).</summary>
    public static XeField Map(string name, string api) =>
        MapText(name, api) with { GetMap = (row, _) => new(XeText.Map(row[api])) };

    /// <summary>A writable map (MRW) through <c>C.add_to_X</c> and <c>C.remove_from_X</c>.</summary>
    public static XeField MapRw(string name, string api, string apiClass) =>
        Map(name, api) with
        {
            AddToMap = (row, key, value, ct) => row.CallAsync($"{apiClass}.add_to_{api}", ct, row.Ref, key, value),
            RemoveFromMap = (row, key, ct) => row.CallAsync($"{apiClass}.remove_from_{api}", ct, row.Ref, key),
        };

    /// <summary>
    /// A field of a related record (VM_metrics, host_metrics, guest metrics): <paramref name="none"/> when the
    /// related record does not exist, left out when it exists without that field.
    /// </summary>
    public static XeField Related(string name, string refField, string apiClass, string api, Func<object?, string> format, string none = XeContext.NotInDatabase) =>
        new()
        {
            Name = name,
            Requires = [refField],
            Get = async (row, ct) =>
            {
                var related = await row.RelatedAsync(refField, apiClass, ct);
                if (related is null)
                {
                    return none;
                }

                return related.TryGetValue(api, out var value) ? format(value) : null;
            },
        };

    /// <summary>A map of a related record, with its get_map (os-version, networks, ...).</summary>
    public static XeField RelatedMap(string name, string refField, string apiClass, string api, string none = XeContext.NotInDatabase) =>
        Related(name, refField, apiClass, api, v => XeText.JoinMap(XeText.Map(v)), none) with
        {
            GetMap = async (row, ct) =>
            {
                var related = await row.RelatedAsync(refField, apiClass, ct);
                return related is null ? [] : XeText.Map(related.GetValueOrDefault(api));
            },
        };

    /// <summary>A setter calling <c>method(self, convert(value))</c>.</summary>
    public static Func<XeRow, string, CancellationToken, Task> Setter(string method, Func<string, object?> convert) =>
        (row, value, ct) => row.CallAsync(method, ct, row.Ref, convert(value));

    public static Func<XeRow, string, CancellationToken, Task> SetText(string method) => Setter(method, v => v);

    /// <summary>A size with unit suffixes (record_util.ml <c>bytes_of_string</c>).</summary>
    public static Func<XeRow, string, CancellationToken, Task> SetBytes(string method, string field) => Setter(method, v => XeParse.Bytes(field, v));

    public static Func<XeRow, string, CancellationToken, Task> SetSafeInt(string method, string field) => Setter(method, v => XeParse.SafeInt(field, v));

    public static Func<XeRow, string, CancellationToken, Task> SetSafeBool(string method, string field) => Setter(method, v => XeParse.SafeBool(field, v));

    public static Func<XeRow, string, CancellationToken, Task> SetRawBool(string method, string field) => Setter(method, v => XeParse.RawBool(field, v));

    public static Func<XeRow, string, CancellationToken, Task> SetFloat(string method, string field) => Setter(method, v => XeParse.RawFloat(field, v));

    /// <summary>
    /// A setter that parses with OCaml's plain <c>Int64.of_string</c>: its Failure reaches xapi's exception handler,
    /// which reports INTERNAL_ERROR "Failure: Int64.of_string".
    /// </summary>
    public static Func<XeRow, string, CancellationToken, Task> SetRawInt(string method) =>
        Setter(method, v => XeParse.TryOcamlInt(v, out var n) ? n : throw new XenApiFailure(XenErrors.InternalError, "Failure: Int64.of_string"));

    public static Func<XeRow, string, CancellationToken, Task> SetEnum(string method, IReadOnlyList<string> values) => Setter(method, v => XeParse.Enum(values, v));

    /// <summary>A ref given by uuid (<c>C.get_by_uuid</c>); "" sets OpaqueRef:NULL when <paramref name="emptyIsNull"/>.</summary>
    public static Func<XeRow, string, CancellationToken, Task> SetRefByUuid(string method, string apiClass, bool emptyIsNull = true) =>
        async (row, value, ct) =>
        {
            var target = emptyIsNull && value.Length == 0 ? XenRef.Null : await row.CallAsync($"{apiClass}.get_by_uuid", ct, value);
            await row.CallAsync(method, ct, row.Ref, target);
        };

    /// <summary>Sets a string set from "a,b,c" (records.ml <c>get_words ','</c>).</summary>
    public static Func<XeRow, string, CancellationToken, Task> SetWords(string method, Func<string, object?>? convert = null) =>
        (row, value, ct) => row.CallAsync(method, ct, row.Ref, Words(value).Select(convert ?? (w => w)).ToArray());

    /// <summary>records.ml <c>get_words</c>: "" is no words.</summary>
    public static IReadOnlyList<string> Words(string value) => value.Length == 0 ? [] : value.Split(',');

    /// <summary>A call <c>method(self, value)</c> for set add/remove.</summary>
    public static Func<XeRow, string, CancellationToken, Task> Call2(string method) =>
        (row, value, ct) => row.CallAsync(method, ct, row.Ref, value);

    private static async Task<IReadOnlyList<string>> UuidsAsync(XeRow row, string api, string apiClass, CancellationToken ct)
    {
        var result = new List<string>();
        foreach (var reference in XeText.Set(row[api]))
        {
            result.Add(await row.Context.UuidOfAsync(apiClass, reference, ct));
        }

        return result;
    }
}
