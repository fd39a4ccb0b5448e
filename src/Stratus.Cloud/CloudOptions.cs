using System.Net;

namespace Stratus.Cloud;

/// <summary>
/// Settings of the controller (<c>stratus cloud serve --config FILE</c>), bound from the config file's JSON and
/// validated at start by <see cref="Validate"/>, which names the key to fix.
/// </summary>
public sealed class CloudOptions
{
    /// <summary>Address and port of the one listener that serves every API under DevStack's paths.</summary>
    public string Listen { get; set; } = "127.0.0.1:8800";

    /// <summary>The base URL clients reach the listener at (what the catalog advertises); derived from Listen when empty.</summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>Where the database and the image store live.</summary>
    public string DataDirectory { get; set; } = "";

    public string Region { get; set; } = "RegionOne";

    /// <summary>How long a token is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The admin user's password, set when the user is first created (bootstrap).</summary>
    public string AdminPassword { get; set; } = "";

    /// <summary>XenAPI hosts (or pools) to manage, each becoming one compute service.</summary>
    public List<HostConnectionOptions> Hosts { get; set; } = [];

    /// <summary>A compute service is down when its last heartbeat is older than this (nova's service_down_time).</summary>
    public TimeSpan ServiceDownTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often each host is polled for its state (its heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    public double CpuAllocationRatio { get; set; } = 16.0;

    /// <summary>
    /// 1.0, not nova's 1.5: xapi (and the Stratus agent) never overcommit RAM at VM.start, so a scheduler that
    /// did would place servers their host then refuses (HOST_NOT_ENOUGH_FREE_MEMORY).
    /// </summary>
    public double RamAllocationRatio { get; set; } = 1.0;

    public double DiskAllocationRatio { get; set; } = 1.0;

    /// <summary>Host memory nova keeps back from guests (reserved_host_memory_mb).</summary>
    public int ReservedHostMemoryMb { get; set; } = 512;

    /// <summary><c>spread</c> (most free RAM first) or <c>pack</c> (least free RAM first).</summary>
    public string Weigher { get; set; } = "spread";

    /// <summary>How many hosts a build may try before it ends in ERROR (nova's scheduler max_attempts).</summary>
    public int MaxBuildAttempts { get; set; } = 3;

    public IPEndPoint ListenEndPoint => IPEndPoint.Parse(Listen);

    /// <summary>The advertised base URL, without a trailing slash.</summary>
    public string BaseUrl => (PublicUrl.Length > 0 ? PublicUrl : $"http://{Listen}").TrimEnd('/');

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!IPEndPoint.TryParse(Listen, out _))
        {
            problems.Add($"Listen: '{Listen}' is not an address:port such as 127.0.0.1:8800");
        }

        if (PublicUrl.Length > 0 && !Uri.TryCreate(PublicUrl, UriKind.Absolute, out _))
        {
            problems.Add($"PublicUrl: '{PublicUrl}' is not an absolute URL");
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("DataDirectory: a data directory is required");
        }

        if (TokenLifetime <= TimeSpan.Zero)
        {
            problems.Add("TokenLifetime: must be positive");
        }

        if (Weigher is not ("spread" or "pack"))
        {
            problems.Add($"Weigher: '{Weigher}' is not one of spread, pack");
        }

        if (MaxBuildAttempts < 1)
        {
            problems.Add("MaxBuildAttempts: must be at least 1");
        }

        foreach (var (host, index) in Hosts.Select((h, i) => (h, i)))
        {
            if (!Uri.TryCreate(host.Url, UriKind.Absolute, out _))
            {
                problems.Add($"Hosts[{index}].Url: '{host.Url}' is not an absolute URL such as http://xenserver or http://127.0.0.1:8080");
            }
        }

        return problems;
    }
}
