using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Stratus.XenApi;
using Stratus.XenApi.Wire;

namespace Stratus.Cloud.Tests.Fakes;

/// <summary>
/// A XenAPI server in memory, at the protocol boundary (JSON-RPC on /jsonrpc, PUT /import_raw_vdi, GET /console_log),
/// modelled on nova's fake.py: one pool with one host, a default SR, generic getters/setters/create/destroy, the VM
/// lifecycle with xapi's memory check, and event.from with blocking and tokens. Tests break it on purpose:
/// <see cref="Unreachable"/> drops every connection, <see cref="Fail"/> makes chosen calls fail, <see cref="Before"/>
/// can hold a call (to stop the controller in the middle of a build).
/// </summary>
internal sealed partial class FakeXenHost : HttpMessageHandler
{
    public const string Password = "fake-root";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, object?>>> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(long Generation, string Class, string Ref, string Operation)> _changes = [];
    private long _generation;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeXenHost(string name, int cpus = 16, long memoryBytes = 64L << 30, long srBytes = 1L << 40, string srType = "ext")
    {
        Name = name;
        Url = new Uri($"http://{name}.fake:80/");
        lock (_gate)
        {
            var metrics = Create("host_metrics", new() { ["memory_total"] = memoryBytes, ["memory_free"] = memoryBytes - (512L << 20), ["live"] = true });
            HostRef = Create("host", new()
            {
                ["name_label"] = name,
                ["hostname"] = name + ".example",
                ["address"] = "192.0.2.1",
                ["enabled"] = true,
                ["metrics"] = metrics,
                ["host_CPUs"] = Enumerable.Range(0, cpus).Select(_ => (object?)XenRef.New()).ToList(),
                ["cpu_info"] = Map(("cpu_count", cpus.ToString(CultureInfo.InvariantCulture)), ("vendor", "GenuineIntel"), ("modelname", "Fake CPU"), ("socket_count", "1"), ("flags", "fpu vme")),
                ["capabilities"] = new List<object?> { "hvm-3.0-x86_64" },
                ["software_version"] = Map(("product_version", "8.4.0"), ("product_brand", "Fake")),
                ["other_config"] = Map(),
            });
            SrRef = AddSr("Local storage", srType, srBytes);
            Create("pool", new() { ["master"] = HostRef, ["default_SR"] = SrRef, ["other_config"] = Map() });
            Create("VM", new() { ["name_label"] = "Control domain", ["is_control_domain"] = true, ["power_state"] = "Running", ["memory_static_max"] = 512L << 20, ["other_config"] = Map() });
        }
    }

    public string Name { get; }

    public Uri Url { get; }

    public string HostRef { get; }

    public string SrRef { get; }

    /// <summary>Every connection fails, as with a host that is off.</summary>
    public bool Unreachable { get; set; }

    /// <summary>Returns a failure for a call (method, params without the session) to fail it.</summary>
    public Func<string, IReadOnlyList<object?>, XenApiFailure?>? Fail { get; set; }

    /// <summary>Runs before each call (it may wait, to hold the call; the token is the request's).</summary>
    public Func<string, CancellationToken, Task>? Before { get; set; }

    /// <summary>Method names as called, with the X-Request-Id each carried.</summary>
    public ConcurrentQueue<(string Method, string? RequestId)> Calls { get; } = new();

    /// <summary>Bytes each VDI received through /import_raw_vdi.</summary>
    public ConcurrentDictionary<string, long> Imported { get; } = new(StringComparer.Ordinal);

    public string AddSr(string name, string type, long bytes)
    {
        lock (_gate)
        {
            var sr = Create("SR", new()
            {
                ["name_label"] = name,
                ["type"] = type,
                ["content_type"] = "user",
                ["physical_size"] = bytes,
                ["physical_utilisation"] = 0L,
                ["shared"] = false,
                ["other_config"] = Map(),
            });
            Create("PBD", new() { ["host"] = HostRef, ["SR"] = sr, ["currently_attached"] = true, ["device_config"] = Map() });
            return sr;
        }
    }

    /// <summary>Records of a class (copies), e.g. to count the VMs or VDIs a test left behind.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> All(string cls)
    {
        lock (_gate)
        {
            return [.. Table(cls).Values.Select(r => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(r))];
        }
    }

    /// <summary>The cloud's VMs (those with other_config:nova_uuid).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> GuestVms => [.. All("VM").Where(v => ((IReadOnlyDictionary<string, object?>)v["other_config"]!).ContainsKey("nova_uuid"))];

    /// <summary>Sets a VM's power state from outside (a guest powering itself off).</summary>
    public void SetPowerState(string vmUuid, string state)
    {
        lock (_gate)
        {
            var (reference, _) = Table("VM").First(v => (string?)v.Value["uuid"] == vmUuid);
            Modify("VM", reference, r => r["power_state"] = state);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Unreachable)
        {
            throw new HttpRequestException($"Connection refused ({Url.Host})", new SocketLikeException());
        }

        var requestId = request.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Put && path == "/import_raw_vdi")
        {
            Calls.Enqueue(("PUT /import_raw_vdi", requestId));
            return await ImportAsync(request, cancellationToken);
        }

        if (request.Method == HttpMethod.Get && path == "/console_log")
        {
            Calls.Enqueue(("GET /console_log", requestId));
            var query = Query(request.RequestUri);
            lock (_gate)
            {
                if (!Table("VM").TryGetValue(query.GetValueOrDefault("vm") ?? "", out var vm))
                {
                    return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("HANDLE_INVALID\nVM\n") };
                }

                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"console of {vm["name_label"]}\nfake-guest ready\n") };
            }
        }

        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var call = JsonRpcCodec.ReadCall(body);
        Calls.Enqueue((call.Method, requestId));
        if (Before is { } before)
        {
            await before(call.Method, cancellationToken);
        }

        var output = new ArrayBufferWriter<byte>();
        try
        {
            var value = await DispatchAsync(call.Method, call.Params, cancellationToken);
            JsonRpcCodec.WriteSuccess(output, call.Version, call.Id, value);
        }
        catch (XenApiFailure failure)
        {
            JsonRpcCodec.WriteFailure(output, call.Version, call.Id, failure.Description);
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(output.WrittenSpan.ToArray()) };
    }

    // Shared by every client the controller makes for this host; it holds nothing to release.
    protected override void Dispose(bool disposing) => base.Dispose(disposing);

    private async Task<object?> DispatchAsync(string method, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        if (method == "session.login_with_password")
        {
            return (string?)parameters[1] == Password ? "OpaqueRef:session-" + Guid.NewGuid().ToString("N") : throw new XenApiFailure(XenErrors.SessionAuthenticationFailed, (string?)parameters[0] ?? "", "Authentication failure");
        }

        var args = parameters.Skip(1).ToList();
        if (Fail?.Invoke(method, args) is { } failure)
        {
            throw failure;
        }

        if (method == "session.logout")
        {
            return "";
        }

        if (method == "event.from")
        {
            return await EventFromAsync((IReadOnlyList<object?>)args[0]!, (string)args[1]!, Convert.ToDouble(args[2], CultureInfo.InvariantCulture), cancellationToken);
        }

        lock (_gate)
        {
            return Invoke(method, args);
        }
    }

    private object? Invoke(string method, List<object?> a)
    {
        var dot = method.IndexOf('.', StringComparison.Ordinal);
        var cls = method[..dot];
        var name = method[(dot + 1)..];
        switch (method)
        {
            case "VM.start_on" or "VM.start":
                return Start((string)a[0]!);
            case "VM.clean_shutdown" or "VM.hard_shutdown":
                return Power((string)a[0]!, "Running", "Halted");
            case "VM.clean_reboot" or "VM.hard_reboot":
                return Power((string)a[0]!, "Running", "Running");
            case "VM.destroy":
                return DestroyVm((string)a[0]!);
            case "VDI.clone":
                return CloneVdi((string)a[0]!);
            case "VDI.create":
                return CreateVdi((IReadOnlyDictionary<string, object?>)a[0]!);
            case "VDI.destroy":
                return DestroyVdi((string)a[0]!);
            case "VDI.resize":
                Modify("VDI", Get("VDI", (string)a[0]!).Ref, r => r["virtual_size"] = a[1]);
                return "";
            case "task.create":
                return Create("task", new() { ["name_label"] = a[0], ["status"] = "pending", ["error_info"] = new List<object?>(), ["other_config"] = Map() });
        }

        switch (name)
        {
            case "get_all_records":
                return Table(cls).ToDictionary(r => r.Key, r => (object?)Copy(r.Value));
            case "get_all_records_where":
                var filter = ParseWhere((string)a[0]!);
                return Table(cls).Where(r => filter(r.Value)).ToDictionary(r => r.Key, r => (object?)Copy(r.Value));
            case "get_record":
                return Copy(Get(cls, (string)a[0]!).Record);
            case "get_by_uuid":
                return Table(cls).FirstOrDefault(r => (string?)r.Value["uuid"] == (string)a[0]!).Key ?? throw new XenApiFailure(XenErrors.UuidInvalid, cls, (string)a[0]!);
            case "get_by_name_label":
                return Table(cls).Where(r => (string?)r.Value.GetValueOrDefault("name_label") == (string)a[0]!).Select(r => (object?)r.Key).ToList();
            case "create":
                return Create(cls, new Dictionary<string, object?>((IReadOnlyDictionary<string, object?>)a[0]!));
            case "destroy":
                Get(cls, (string)a[0]!);
                Delete(cls, (string)a[0]!);
                return "";
            case var add when add.StartsWith("add_to_", StringComparison.Ordinal):
                Modify(cls, Get(cls, (string)a[0]!).Ref, r => r[add[7..]] = new Dictionary<string, object?>((IReadOnlyDictionary<string, object?>)r[add[7..]]!) { [(string)a[1]!] = a[2] });
                return "";
            case var remove when remove.StartsWith("remove_from_", StringComparison.Ordinal):
                Modify(cls, Get(cls, (string)a[0]!).Ref, r =>
                {
                    var map = new Dictionary<string, object?>((IReadOnlyDictionary<string, object?>)r[remove[12..]]!);
                    map.Remove((string)a[1]!);
                    r[remove[12..]] = map;
                });
                return "";
            case var get when get.StartsWith("get_", StringComparison.Ordinal):
                return Get(cls, (string)a[0]!).Record.GetValueOrDefault(get[4..]);
            case var set when set.StartsWith("set_", StringComparison.Ordinal):
                Modify(cls, Get(cls, (string)a[0]!).Ref, r => r[set[4..]] = a[1]);
                return "";
            default:
                throw new XenApiFailure(XenErrors.MessageMethodUnknown, method);
        }
    }

    private string Start(string vm)
    {
        var (reference, record) = Get("VM", vm);
        if ((string?)record["power_state"] != "Halted")
        {
            throw new XenApiFailure(XenErrors.VmBadPowerState, vm, "halted", ((string?)record["power_state"])!.ToLowerInvariant());
        }

        var total = (long)Table("host_metrics").Values.First()["memory_total"]!;
        var used = Table("VM").Values.Where(v => (string?)v["power_state"] == "Running").Sum(v => Convert.ToInt64(v.GetValueOrDefault("memory_static_max") ?? 0L, CultureInfo.InvariantCulture));
        var needed = Convert.ToInt64(record.GetValueOrDefault("memory_static_max") ?? 0L, CultureInfo.InvariantCulture);
        if (needed > total - used)
        {
            throw new XenApiFailure(XenErrors.HostNotEnoughFreeMemory, needed.ToString(CultureInfo.InvariantCulture), (total - used).ToString(CultureInfo.InvariantCulture));
        }

        Modify("VM", reference, r =>
        {
            r["power_state"] = "Running";
            r["resident_on"] = HostRef;
        });
        return "";
    }

    private string Power(string vm, string from, string to)
    {
        var (reference, record) = Get("VM", vm);
        if ((string?)record["power_state"] != from)
        {
            throw new XenApiFailure(XenErrors.VmBadPowerState, vm, from.ToLowerInvariant(), ((string?)record["power_state"])!.ToLowerInvariant());
        }

        Modify("VM", reference, r => r["power_state"] = to);
        return "";
    }

    private string DestroyVm(string vm)
    {
        var (reference, record) = Get("VM", vm);
        if ((string?)record["power_state"] != "Halted")
        {
            throw new XenApiFailure(XenErrors.VmBadPowerState, vm, "halted", ((string?)record["power_state"])!.ToLowerInvariant());
        }

        foreach (var child in new[] { "VBD", "VIF" })
        {
            foreach (var r in Table(child).Where(v => (string?)v.Value["VM"] == reference).Select(v => v.Key).ToList())
            {
                Delete(child, r);
            }
        }

        Delete("VM", reference);
        return "";
    }

    private string CreateVdi(IReadOnlyDictionary<string, object?> record)
    {
        var sr = Get("SR", (string)record["SR"]!);
        var size = Convert.ToInt64(record["virtual_size"], CultureInfo.InvariantCulture);
        var used = (long)sr.Record["physical_utilisation"]!;
        if (used + size > (long)sr.Record["physical_size"]!)
        {
            throw new XenApiFailure(XenErrors.SrFull, size.ToString(CultureInfo.InvariantCulture), ((long)sr.Record["physical_size"]! - used).ToString(CultureInfo.InvariantCulture));
        }

        Modify("SR", sr.Ref, r => r["physical_utilisation"] = used + size);
        return Create("VDI", new Dictionary<string, object?>(record) { ["virtual_size"] = size, ["missing"] = false });
    }

    private string CloneVdi(string vdi)
    {
        var (_, record) = Get("VDI", vdi);
        return Create("VDI", new Dictionary<string, object?>(record) { ["uuid"] = null });
    }

    private string DestroyVdi(string vdi)
    {
        var (reference, record) = Get("VDI", vdi);
        if (Table("VBD").Values.Any(v => (string?)v["VDI"] == reference))
        {
            throw new XenApiFailure(XenErrors.VdiInUse, reference, "destroy");
        }

        Delete("VDI", reference);
        return "";
    }

    private async Task<HttpResponseMessage> ImportAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var query = Query(request.RequestUri!);
        var vdi = query.GetValueOrDefault("vdi") ?? "";
        var task = query.GetValueOrDefault("task_id");
        var failure = Fail?.Invoke("import_raw_vdi", [vdi]);
        long total = 0;
        await using (var body = await request.Content!.ReadAsStreamAsync(cancellationToken))
        {
            var buffer = new byte[65536];
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += n;
            }
        }

        lock (_gate)
        {
            if (failure is null && !Table("VDI").ContainsKey(vdi))
            {
                failure = new XenApiFailure(XenErrors.HandleInvalid, "VDI", vdi);
            }

            if (task is not null && Table("task").ContainsKey(task))
            {
                Modify("task", task, r =>
                {
                    r["status"] = failure is null ? "success" : "failure";
                    r["error_info"] = failure is null ? new List<object?>() : failure.Description.Select(d => (object?)d).ToList();
                });
            }
        }

        if (failure is not null)
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent(string.Join("\n", failure.Description) + "\n") };
        }

        Imported[vdi] = total;
        return new HttpResponseMessage(HttpStatusCode.OK);
    }

    private async Task<object?> EventFromAsync(IReadOnlyList<object?> classes, string token, double timeout, CancellationToken cancellationToken)
    {
        var wanted = classes.Select(c => ((string)c!).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Min(timeout, 5));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var events = new List<object?>();
                if (token.Length == 0)
                {
                    foreach (var (cls, table) in _tables.Where(t => wanted.Contains(t.Key.ToLowerInvariant())))
                    {
                        events.AddRange(table.Select(r => Event(cls, r.Key, "add", r.Value)));
                    }

                    return Reply(events);
                }

                var since = long.Parse(token, CultureInfo.InvariantCulture);
                foreach (var change in _changes.Where(c => c.Generation > since && wanted.Contains(c.Class.ToLowerInvariant()))
                    .GroupBy(c => (c.Class, c.Ref)).Select(g => g.Last()))
                {
                    events.Add(Event(change.Class, change.Ref, change.Operation, change.Operation == "del" ? null : Table(change.Class).GetValueOrDefault(change.Ref)));
                }

                if (events.Count > 0 || DateTime.UtcNow >= deadline)
                {
                    return Reply(events);
                }

                changed = _changed.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining > TimeSpan.Zero)
            {
                await Task.WhenAny(changed, Task.Delay(remaining, cancellationToken));
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private Dictionary<string, object?> Reply(List<object?> events) =>
        new() { ["events"] = events, ["valid_ref_counts"] = Map(), ["token"] = _generation.ToString(CultureInfo.InvariantCulture) };

    private static Dictionary<string, object?> Event(string cls, string reference, string operation, Dictionary<string, object?>? snapshot)
    {
        var e = new Dictionary<string, object?> { ["class"] = cls.ToLowerInvariant(), ["operation"] = operation, ["ref"] = reference, ["id"] = "0", ["timestamp"] = "" };
        if (snapshot is not null)
        {
            e["snapshot"] = Copy(snapshot);
        }

        return e;
    }

    private Dictionary<string, Dictionary<string, object?>> Table(string cls)
    {
        if (!_tables.TryGetValue(cls, out var table))
        {
            table = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
            _tables[cls] = table;
        }

        return table;
    }

    private (string Ref, Dictionary<string, object?> Record) Get(string cls, string reference) =>
        Table(cls).TryGetValue(reference, out var record) ? (reference, record) : throw new XenApiFailure(XenErrors.HandleInvalid, cls, reference);

    private string Create(string cls, Dictionary<string, object?> record)
    {
        var reference = XenRef.New();
        record["uuid"] = record.GetValueOrDefault("uuid") as string ?? Guid.NewGuid().ToString("D");
        record.TryAdd("other_config", Map());
        record.TryAdd("name_label", "");
        if (cls == "VM")
        {
            record.TryAdd("power_state", "Halted");
            record.TryAdd("is_control_domain", false);
        }

        Table(cls)[reference] = record;
        Changed(cls, reference, "add");
        return reference;
    }

    private void Modify(string cls, string reference, Action<Dictionary<string, object?>> change)
    {
        change(Table(cls)[reference]);
        Changed(cls, reference, "mod");
    }

    private void Delete(string cls, string reference)
    {
        Table(cls).Remove(reference);
        Changed(cls, reference, "del");
    }

    private void Changed(string cls, string reference, string operation)
    {
        _changes.Add((++_generation, cls, reference, operation));
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>get_all_records_where with the forms the conductor sends: <c>field "f"="v"</c> joined by and/or.</summary>
    private static Func<Dictionary<string, object?>, bool> ParseWhere(string expression)
    {
        var terms = WhereTerm().Matches(expression);
        var conditions = terms.Select(m => (Field: m.Groups[1].Value.Replace("__", "_", StringComparison.Ordinal), Value: m.Groups[2].Value)).ToList();
        var any = expression.Contains(" or ", StringComparison.Ordinal);
        return record => any
            ? conditions.Any(c => XenValue.ToDbString(record.GetValueOrDefault(c.Field)) == c.Value)
            : conditions.All(c => XenValue.ToDbString(record.GetValueOrDefault(c.Field)) == c.Value);
    }

    private static Dictionary<string, object?> Copy(Dictionary<string, object?> record) => new(record);

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");

    [GeneratedRegex("field \"([^\"]+)\"=\"([^\"]*)\"")]
    private static partial Regex WhereTerm();

    private sealed class SocketLikeException() : IOException("Connection refused");
}
