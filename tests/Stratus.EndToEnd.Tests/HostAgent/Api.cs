using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>Small helpers over a XenSession for the end-to-end tests.</summary>
internal static class Api
{
    public const long GiB = 1L << 30;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TheoryData<XenTransport> BothWires = [XenTransport.XmlRpc, XenTransport.JsonRpc];

    public static Task<object?> Call(this XenSession s, string method, params object?[] args) => s.CallAsync(method, Ct, args);

    public static async Task<string> Ref(this XenSession s, string method, params object?[] args) => (string)(await s.CallAsync(method, Ct, args))!;

    public static async Task<IReadOnlyDictionary<string, object?>> Record(this XenSession s, string cls, string reference) =>
        (IReadOnlyDictionary<string, object?>)(await s.CallAsync($"{cls}.get_record", Ct, reference))!;

    public static async Task<object?> Field(this XenSession s, string cls, string reference, string field) =>
        await s.CallAsync($"{cls}.get_{field}", Ct, reference);

    /// <summary>An int field: a decimal string over XML-RPC, a number over JSON-RPC.</summary>
    public static long Int(object? value) => value switch
    {
        long l => l,
        int i => i,
        string s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
        double d => (long)d,
        _ => throw new InvalidCastException($"not an int: {value}"),
    };

    public static IReadOnlyList<object?> List(object? value) => (IReadOnlyList<object?>)value!;

    public static IReadOnlyDictionary<string, object?> Map(object? value) => (IReadOnlyDictionary<string, object?>)value!;

    public static async Task<XenApiFailure> Fails(this XenSession s, string method, params object?[] args) =>
        await Assert.ThrowsAsync<XenApiFailure>(() => s.CallAsync(method, Ct, args));

    /// <summary>A halted VM (what nova's VM.create sends: ints as strings are fine on both wires).</summary>
    public static Task<string> CreateVm(this XenSession s, string name, long memory = GiB, long vcpus = 1) =>
        s.Ref("VM.create", new Dictionary<string, object?>
        {
            ["name_label"] = name,
            ["memory_static_min"] = "0",
            ["memory_dynamic_min"] = memory,
            ["memory_dynamic_max"] = memory,
            ["memory_static_max"] = memory,
            ["VCPUs_max"] = vcpus,
            ["VCPUs_at_startup"] = vcpus,
            ["actions_after_shutdown"] = "destroy",
            ["actions_after_reboot"] = "restart",
            ["actions_after_crash"] = "restart",
            ["other_config"] = new Dictionary<string, object?> { ["nova_uuid"] = Guid.NewGuid().ToString() },
        });

    public static async Task<string> DefaultSr(this XenSession s)
    {
        var pool = List(await s.Call("pool.get_all"))[0];
        return await s.Ref("pool.get_default_SR", pool);
    }

    public static Task<string> CreateVdi(this XenSession s, string sr, long size, string name = "disk") =>
        s.Ref("VDI.create", new Dictionary<string, object?>
        {
            ["name_label"] = name,
            ["SR"] = sr,
            ["virtual_size"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["type"] = "user",
            ["sharable"] = false,
            ["read_only"] = false,
            ["other_config"] = new Dictionary<string, object?>(),
        });

    public static Task<string> CreateVbd(this XenSession s, string vm, string vdi, string userdevice = "autodetect") =>
        s.Ref("VBD.create", new Dictionary<string, object?>
        {
            ["VM"] = vm,
            ["VDI"] = vdi,
            ["userdevice"] = userdevice,
            ["bootable"] = true,
            ["mode"] = "RW",
            ["type"] = "disk",
            ["unpluggable"] = true,
            ["empty"] = false,
            ["other_config"] = new Dictionary<string, object?>(),
            ["qos_algorithm_type"] = "",
            ["qos_algorithm_params"] = new Dictionary<string, object?>(),
        });

    /// <summary>Polls a task until it leaves pending (bounded by the test's token).</summary>
    public static async Task<IReadOnlyDictionary<string, object?>> WaitTask(this XenSession s, string task)
    {
        var token = "";
        while (true)
        {
            var record = await s.Record("task", task);
            if ((string)record["status"]! is not ("pending" or "cancelling"))
            {
                return record;
            }

            // Wait on the task's own events rather than sleeping.
            var batch = Map(await s.Call("event.from", new object?[] { $"task/{task}" }, token, 5.0));
            token = (string)batch["token"]!;
        }
    }
}
