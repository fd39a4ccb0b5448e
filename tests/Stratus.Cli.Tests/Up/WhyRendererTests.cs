using System.Text.Json.Nodes;
using Stratus.Cli.Up;
using Stratus.Cli.Why;

namespace Stratus.Cli.Tests.Up;

public sealed class WhyRendererTests
{
    private const string NoRam = """
        Request: 2048 MB RAM, 1 vCPUs, 20 GB disk
        big-host: RamFilter rejected it: 1500 MB free RAM < 2048 MB requested (4096 MB × 1.5 ratio, 4644 MB used)
        small-host: RamFilter rejected it: 100 MB free RAM < 2048 MB requested (1024 MB × 1.5 ratio, 1436 MB used)
        """;

    [Fact]
    public void Render_NoValidHostForRam_ShowsEveryHostAndSuggestsFlavorThatFitsAndFreeingMemory()
    {
        var story = Story("ERROR", "m1.small", 2048, fault: Fault("No valid host was found: 2 hosts considered, none with 2048 MB of free RAM.", NoRam),
            Action("create", "req-1", Event("conductor_schedule_and_build_instances", "Error", NoRam, host: null, milliseconds: 12)));

        var text = WhyRenderer.Render(story);

        Assert.Contains("Fault (code 500, 2026-11-24T10:00:00Z): No valid host was found: 2 hosts considered, none with 2048 MB of free RAM.", text);
        Assert.Contains("  FAIL scheduling (conductor_schedule_and_build_instances): 12 ms", text);
        Assert.Contains("small-host: RamFilter rejected it: 100 MB free RAM < 2048 MB requested", text);
        Assert.Contains("  - Use a smaller flavor: m1.tiny (512 MB RAM, 1 GB disk, 1 vCPUs) fits on host big-host, which has 1500 MB of RAM free (m1.small asks 2048 MB).", text);
        Assert.Contains("  - Or free memory on host big-host: 1500 MB free, 548 MB short.", text);
    }

    [Fact]
    public void Render_QemuFailedOnHost_ShowsStepTimesAndQemuMessage()
    {
        const string failure = "Failed on host-a after image cached 1.0 ms, root disk 2.0 ms: FAILED_TO_START_EMULATOR OpaqueRef:vm qemu-system-x86_64 qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate memory";
        var story = Story("ERROR", "m1.nano", 64, fault: Fault("Exceeded maximum number of retries.", "Attempt 1 on host-a (node host-a): FAILED_TO_START_EMULATOR …"),
            Action("create", "req-2",
                Event("conductor_schedule_and_build_instances", "Success", "Chose host-a out of 1 hosts (1 passed the filters).", host: null, milliseconds: 3),
                Event("compute__do_build_and_run_instance", "Error", failure, host: "host-a", milliseconds: 1500)));

        var text = WhyRenderer.Render(story);

        Assert.Contains("  ok   scheduling (conductor_schedule_and_build_instances): 3 ms", text);
        Assert.Contains("  FAIL build and start (compute__do_build_and_run_instance) on host-a: 1.50 s", text);
        Assert.Contains("  - QEMU could not start the VM on host host-a: OpaqueRef:vm qemu-system-x86_64 qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate memory", text);
        Assert.Contains("  - Free memory on host host-a (the machine itself, not only its allocation), or use a smaller flavor.", text);
    }

    [Fact]
    public void Render_NoSrOfRequiredType_SuggestsAttachingOne()
    {
        const string details = "Request: 64 MB RAM, 1 vCPUs, 1 GB disk, SR type nfs\nhost-a: StorageFilter rejected it: no SR of type nfs (the host has ext)\n";
        var story = Story("ERROR", "m1.nano", 64, fault: Fault("No valid host was found: 1 host considered, none with a usable SR of type nfs.", details));

        var text = WhyRenderer.Render(story);

        Assert.Contains("  - Attach an SR of another type to host host-a (no SR of type nfs (the host has ext))", text);
    }

    [Fact]
    public void Render_ActiveServer_NothingToFix()
    {
        var story = Story("ACTIVE", "m1.nano", 64, fault: null,
            Action("create", "req-3", Event("compute__do_build_and_run_instance", "Success", "Spawned on h as VM u: started 2.0 ms.", host: "h", milliseconds: 40)));

        var text = WhyRenderer.Render(story);

        Assert.StartsWith("Server vm1 (11111111-2222-3333-4444-555555555555), project p1: ACTIVE on host h\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("Spawned on h as VM u: started 2.0 ms.", text);
        Assert.EndsWith("Nothing to fix.\n", text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Render_HostAgentLogsError_ShownUnderLogged()
    {
        var log = LogEntry.Parse("""{"Timestamp":"2026-11-24T10:00:01.000Z","LogLevel":"Error","Category":"Stratus.Host.Backends.Qemu.QemuVmBackend","Message":"QEMU failed: boom","Scopes":[{"RequestId":"req-4"}],"Service":"host-agent"}""")!;
        var story = Story("ACTIVE", "m1.nano", 64, fault: null) with { Logs = [log] };

        var text = WhyRenderer.Render(story);

        Assert.Contains("2026-11-24T10:00:01.000Z host-agent fail Host.Backends.Qemu.QemuVmBackend: QEMU failed: boom [req-4]", text);
    }

    [Fact]
    public void Render_GuestConsoleShowsBootFailure_SuggestsNextBiggerFlavor()
    {
        var story = Story("ACTIVE", "m1.nano", 64, fault: null) with
        {
            Console = "SYSLINUX 6.04\r\nBooting kernel failed:\u001b[11;38H Invalid argument\r\nboot: ",
        };

        var text = WhyRenderer.Render(story);

        Assert.Contains("  | Booting kernel failed: Invalid argument", text);
        Assert.Contains("  - The guest did not boot (its console says \"Booting kernel failed: Invalid argument\") in 64 MB of RAM: use a flavor with more RAM, such as m1.tiny (512 MB), or an image whose kernel fits.", text);
    }

    [Fact]
    public void Render_SrFull_SuggestsFlavorWithSmallerDisk()
    {
        const string failure = "Failed on vm after image cached 3.0 ms: SR_FULL 85899345920 21474836480";
        var story = Story("ERROR", "m1.medium", 4096, fault: Fault("Exceeded maximum number of retries.", "Attempt 1 on vm (node vm): SR_FULL 85899345920 21474836480"),
            Action("create", "req-5", Event("compute__do_build_and_run_instance", "Error", failure, host: "vm", milliseconds: 56)));

        var text = WhyRenderer.Render(story);

        Assert.Contains("  - The SR on host vm is full (the disk needs 80 GiB, the SR has 20 GiB free): use a flavor with a smaller disk such as m1.small (2048 MB RAM, 20 GB disk, 1 vCPUs), free space there", text);
    }

    [Fact]
    public void Render_NoValidHostForDisk_SuggestsOnlyFlavorsNoBiggerInRamOrVcpus()
    {
        const string noDisk = """
            Request: 2048 MB RAM, 1 vCPUs, 20 GB disk
            vm: DiskFilter rejected it: 10 GB free disk < 20 GB requested (1024 GB × 1 ratio, 1014 GB used)
            """;
        var story = Story("ERROR", "m1.small", 2048, fault: Fault("No valid host was found: 1 host considered, none with 20 GB of free disk.", noDisk),
            Action("create", "req-1", Event("conductor_schedule_and_build_instances", "Error", noDisk, host: null, milliseconds: 9)));
        // A flavor with a small disk but far more RAM would pass the disk filter only to fail the RAM filter.
        story = story with { Flavors = [.. story.Flavors, Flavor("m1.wide", 262144, 1, 1)] };

        var text = WhyRenderer.Render(story);

        Assert.Contains("  - Use a flavor with a smaller disk: m1.tiny (512 MB RAM, 1 GB disk, 1 vCPUs) fits on host vm, which has 10 GB of disk free (m1.small asks 20 GB).", text);
        Assert.DoesNotContain("m1.wide", text);
    }

    private static WhyStory Story(string status, string flavor, int ram, JsonObject? fault, params JsonObject[] actions)
    {
        var server = new JsonObject
        {
            ["id"] = "11111111-2222-3333-4444-555555555555",
            ["name"] = "vm1",
            ["tenant_id"] = "p1",
            ["status"] = status,
            ["OS-EXT-STS:vm_state"] = status.ToLowerInvariant(),
            ["OS-EXT-STS:task_state"] = null,
            ["OS-EXT-SRV-ATTR:host"] = status == "ACTIVE" ? "h" : null,
            ["created"] = "2026-11-24T10:00:00Z",
            ["flavor"] = new JsonObject { ["original_name"] = flavor, ["ram"] = ram, ["vcpus"] = 1, ["disk"] = 20 },
        };
        if (fault is not null)
        {
            server["fault"] = fault;
        }

        return new WhyStory(server, actions, Flavors(), [], []);
    }

    private static List<JsonObject> Flavors() =>
    [
        Flavor("m1.nano", 64, 1, 1), Flavor("m1.tiny", 512, 1, 1), Flavor("m1.small", 2048, 20, 1), Flavor("m1.medium", 4096, 40, 2),
    ];

    private static JsonObject Flavor(string name, int ram, int disk, int vcpus) => new() { ["name"] = name, ["ram"] = ram, ["disk"] = disk, ["vcpus"] = vcpus };

    private static JsonObject Fault(string message, string details) =>
        new() { ["code"] = 500, ["created"] = "2026-11-24T10:00:00Z", ["message"] = message, ["details"] = details };

    private static JsonObject Action(string name, string requestId, params JsonObject[] events) => new()
    {
        ["action"] = name,
        ["request_id"] = requestId,
        ["start_time"] = "2026-11-24T10:00:00.000000",
        ["message"] = null,
        ["events"] = new JsonArray(events.Select(e => (JsonNode)e).ToArray()),
    };

    private static JsonObject Event(string name, string result, string details, string? host, int milliseconds)
    {
        var start = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);
        return new JsonObject
        {
            ["event"] = name,
            ["start_time"] = start.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
            ["finish_time"] = start.AddMilliseconds(milliseconds).ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
            ["result"] = result,
            ["traceback"] = details,
            ["host"] = host,
        };
    }
}
