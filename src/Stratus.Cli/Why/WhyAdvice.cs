using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stratus.Cli.Why;

/// <summary>
/// Concrete fixes for the failures the controller explains: read from the scheduler's per-host verdicts
/// ("HOST: RamFilter rejected it: 40 MB free RAM &lt; 2048 MB requested (…)") and from the host agent's XenAPI errors
/// (HOST_NOT_ENOUGH_FREE_MEMORY, FAILED_TO_START_EMULATOR with QEMU's message, SR errors), with the flavors that fit.
/// </summary>
internal static partial class WhyAdvice
{
    public static IReadOnlyList<string> For(WhyStory story)
    {
        var advice = new List<string>();
        var details = Details(story);
        var flavor = story.Server["flavor"] as JsonObject;
        var flavorName = WhyRenderer.S(flavor?["original_name"]);
        var ram = Number(flavor?["ram"]);
        var disk = Number(flavor?["disk"]);
        var vcpus = Number(flavor?["vcpus"]);
        var ramShort = new List<(string Host, double Free)>();
        var diskShort = new List<(string Host, double Free)>();
        var vcpuShort = new List<(string Host, double Free)>();
        foreach (Match verdict in Verdict().Matches(details))
        {
            var host = verdict.Groups["host"].Value;
            var why = verdict.Groups["why"].Value.TrimEnd();
            switch (verdict.Groups["filter"].Value)
            {
                case "RamFilter" when FirstNumber(why) is { } free:
                    ramShort.Add((host, free));
                    break;
                case "DiskFilter" when FirstNumber(why) is { } free:
                    diskShort.Add((host, free));
                    break;
                case "CoreFilter" when FirstNumber(why) is { } free:
                    vcpuShort.Add((host, free));
                    break;
                case "StorageFilter" when why.StartsWith("no SR of type", StringComparison.Ordinal):
                    Add(advice, $"Attach an SR of another type to host {host} ({why}): stratus xe sr-create type=… on that host, or use an image without the SR type requirement.");
                    break;
                case "StorageFilter":
                    Add(advice, $"Give host {host} storage ({why}): attach an SR with enough free space (stratus xe sr-create), or free space on its SRs.");
                    break;
                case "ComputeFilter" when why.StartsWith("service down", StringComparison.Ordinal):
                    Add(advice, $"Host {host}'s compute service is down ({why}): check stratus status and stratus logs --service host-agent; stratus restart host-agent brings the embedded agent back.");
                    break;
                case "ComputeFilter":
                    Add(advice, $"Host {host} is disabled ({why}): openstack compute service set --enable {host} nova-compute.");
                    break;
                case "AvailabilityZoneFilter":
                    Add(advice, $"Host {host} is {why}: create the server without --availability-zone, or in a zone from openstack availability zone list.");
                    break;
            }
        }

        if (ramShort.Count > 0)
        {
            var (host, free) = ramShort.MaxBy(h => h.Free);
            // Smaller in RAM and no bigger in anything else: what passed the other filters still passes.
            var smaller = Smaller(story, f => Number(f["ram"]) <= free && Number(f["ram"]) < ram && Number(f["disk"]) <= disk && Number(f["vcpus"]) <= vcpus);
            if (smaller is not null)
            {
                Add(advice, Invariant($"Use a smaller flavor: {smaller} fits on host {host}, which has {free:0} MB of RAM free ({flavorName} asks {ram:0} MB)."));
            }

            Add(advice, Invariant($"Or free memory on host {host}: {free:0} MB free, {ram - free:0} MB short. Stop or delete servers there (openstack server list --all-projects --host {host}), or add a host (stratus host add)."));
        }

        if (diskShort.Count > 0)
        {
            var (host, free) = diskShort.MaxBy(h => h.Free);
            var smaller = Smaller(story, f => Number(f["disk"]) <= free && Number(f["disk"]) < disk && Number(f["ram"]) <= ram && Number(f["vcpus"]) <= vcpus);
            if (smaller is not null)
            {
                Add(advice, Invariant($"Use a flavor with a smaller disk: {smaller} fits on host {host}, which has {free:0} GB of disk free ({flavorName} asks {disk:0} GB)."));
            }

            Add(advice, Invariant($"Or free disk on host {host} ({free:0} GB free): delete servers or images there, or attach a bigger SR."));
        }

        if (vcpuShort.Count > 0)
        {
            var (host, free) = vcpuShort.MaxBy(h => h.Free);
            var smaller = Smaller(story, f => Number(f["vcpus"]) <= free && Number(f["vcpus"]) < vcpus && Number(f["ram"]) <= ram && Number(f["disk"]) <= disk);
            Add(advice, smaller is not null
                ? Invariant($"Use a flavor with fewer vCPUs: {smaller} fits on host {host} ({free:0} vCPUs free, {flavorName} asks {vcpus:0}).")
                : Invariant($"Host {host} has only {free:0} vCPUs free: stop servers there or add a host."));
        }

        if (details.Contains("there are no compute hosts", StringComparison.Ordinal))
        {
            Add(advice, "Add a compute host: stratus host add URL (or run stratus up, whose embedded host agent is one).");
        }

        foreach (Match failure in HostFailure().Matches(details))
        {
            var host = failure.Groups["host"].Value;
            var error = failure.Groups["error"].Value.Trim();
            var code = error.Split(' ', 2)[0];
            switch (code)
            {
                case "HOST_NOT_ENOUGH_FREE_MEMORY":
                    var numbers = NumberPattern().Matches(error).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
                    var text = numbers.Count >= 2 ? Invariant($" (the VM needs {numbers[0] / (1 << 20):0} MiB, the host has {numbers[1] / (1 << 20):0} MiB free)") : "";
                    Add(advice, $"Free memory on host {host}{text}: stop or delete servers there, or use a smaller flavor.");
                    break;
                case "FAILED_TO_START_EMULATOR":
                    Add(advice, $"QEMU could not start the VM on host {host}: {error[code.Length..].Trim()}");
                    if (error.Contains("Cannot allocate memory", StringComparison.OrdinalIgnoreCase) || error.Contains("out of memory", StringComparison.OrdinalIgnoreCase))
                    {
                        Add(advice, $"Free memory on host {host} (the machine itself, not only its allocation), or use a smaller flavor.");
                    }
                    else if (error.Contains("kvm", StringComparison.OrdinalIgnoreCase))
                    {
                        Add(advice, $"KVM is unusable on host {host}: run its agent with --accelerator tcg.");
                    }

                    break;
                case "SR_FULL":
                    var sizes = NumberPattern().Matches(error).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture) / (1L << 30)).ToList();
                    var sizeText = sizes.Count >= 2 ? Invariant($" (the disk needs {sizes[0]:0.#} GiB, the SR has {sizes[1]:0.#} GiB free)") : "";
                    var smallerDisk = sizes.Count >= 2 ? Smaller(story, f => Number(f["disk"]) <= sizes[1] && Number(f["ram"]) <= ram && Number(f["disk"]) > 0) : null;
                    Add(advice, $"The SR on host {host} is full{sizeText}: "
                        + (smallerDisk is not null ? $"use a flavor with a smaller disk such as {smallerDisk}, " : "")
                        + "free space there (delete servers or images), or attach an SR of another type with more space (stratus xe sr-create).");
                    break;
                case var sr when sr.StartsWith("SR_", StringComparison.Ordinal) || sr.StartsWith("VDI_", StringComparison.Ordinal):
                    Add(advice, $"The storage on host {host} failed ({error}): attach an SR of another type (stratus xe sr-create) and make it the default, or repair this one.");
                    break;
            }
        }

        if (story.Console is { } console && BootFailure().Match(WhyRenderer.Clean(console)) is { Success: true } boot)
        {
            var bigger = story.Flavors.Where(f => Number(f["ram"]) > ram).OrderBy(f => Number(f["ram"])).FirstOrDefault();
            Add(advice, $"The guest did not boot (its console says \"{boot.Value.Trim()}\") in {ram:0} MB of RAM: "
                + (bigger is not null ? Invariant($"use a flavor with more RAM, such as {WhyRenderer.S(bigger["name"])} ({Number(bigger["ram"]):0} MB), ") : "use a flavor with more RAM, ")
                + "or an image whose kernel fits.");
        }

        return advice;
    }

    /// <summary>The fault's details and every event's details, where the controller writes its explanations.</summary>
    private static string Details(WhyStory story)
    {
        var parts = new List<string> { WhyRenderer.S((story.Server["fault"] as JsonObject)?["details"]) };
        foreach (var action in story.Actions)
        {
            parts.AddRange(action["events"]?.AsArray().OfType<JsonObject>().Select(e => WhyRenderer.S(e["traceback"])) ?? []);
        }

        return string.Join('\n', parts);
    }

    /// <summary>The largest flavor that satisfies the condition, as "m1.micro (128 MB RAM, 1 GB disk, 1 vCPUs)".</summary>
    private static string? Smaller(WhyStory story, Func<JsonObject, bool> fits) =>
        story.Flavors.Where(fits).OrderByDescending(f => Number(f["ram"])).ThenByDescending(f => Number(f["disk"])).FirstOrDefault() is { } f
            ? Invariant($"{WhyRenderer.S(f["name"])} ({Number(f["ram"]):0} MB RAM, {Number(f["disk"]):0} GB disk, {Number(f["vcpus"]):0} vCPUs)")
            : null;

    private static void Add(List<string> advice, string line)
    {
        if (!advice.Contains(line))
        {
            advice.Add(line);
        }
    }

    private static double Number(JsonNode? node) =>
        double.TryParse(WhyRenderer.S(node), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static double? FirstNumber(string text) =>
        NumberPattern().Match(text) is { Success: true } m ? double.Parse(m.Value, CultureInfo.InvariantCulture) : null;

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    // SchedulingDecision.AdminDetails: "HOST: FILTER rejected it: WHY".
    [GeneratedRegex(@"^(?<host>\S+): (?<filter>\w+) rejected it: (?<why>.*)$", RegexOptions.Multiline)]
    private static partial Regex Verdict();

    // BuildWorkflow: "Failed on HOST after STEPS: XENAPI_ERROR params" (and AttemptDetails' "attempt N on HOST: ERROR").
    [GeneratedRegex(@"(Failed on (?<host>\S+) after [^:]*|^Attempt \d+ on (?<host>\S+) \(node [^)]*\)): (?<error>.*)$", RegexOptions.Multiline)]
    private static partial Regex HostFailure();

    // What a guest's console shows when it had too little memory to boot: SYSLINUX's load failure, the kernel's panics.
    [GeneratedRegex(@"Booting kernel failed[^\n]*|Kernel panic[^\n]*|Out of memory[^\n]*|Initramfs unpacking failed[^\n]*")]
    private static partial Regex BootFailure();

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex NumberPattern();
}
