using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// Everything a server view needs besides the server itself, loaded once for a whole page: the caller's version and
/// role, the URL prefixes, and bulk look-ups (addresses and security groups, latest faults, compute services).
/// </summary>
internal sealed class ServerViewContext
{
    private readonly Dictionary<string, string> _hostIds = new(StringComparer.Ordinal);

    public required Microversion Version { get; init; }

    public required bool IsAdmin { get; init; }

    /// <summary><c>http://H/compute/v2.1/servers/</c>.</summary>
    public required string SelfPrefix { get; init; }

    /// <summary><c>http://H/compute/servers/</c>.</summary>
    public required string BookmarkPrefix { get; init; }

    /// <summary><c>http://H/compute/images/</c>.</summary>
    public required string ImagePrefix { get; init; }

    /// <summary><c>http://H/compute/flavors/</c>.</summary>
    public required string FlavorPrefix { get; init; }

    public IReadOnlyDictionary<Guid, InstanceNetworkView> Networks { get; init; } = new Dictionary<Guid, InstanceNetworkView>();

    public IReadOnlyDictionary<Guid, InstanceFault> Faults { get; init; } = new Dictionary<Guid, InstanceFault>();

    /// <summary>nova-compute services by host, for host_status (admins from 2.16 only); null when not shown.</summary>
    public IReadOnlyDictionary<string, ServiceRecord>? ComputeServices { get; init; }

    public DateTime Now { get; init; }

    public TimeSpan ServiceDownTime { get; init; }

    /// <summary>nova utils.generate_hostid: sha224(project_id + host), "" without a host; cached per page.</summary>
    public string HostId(string projectId, string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return "";
        }

        var key = projectId + host;
        if (!_hostIds.TryGetValue(key, out var hostId))
        {
            hostId = Api.Sha224.HexDigest(key);
            _hostIds[key] = hostId;
        }

        return hostId;
    }
}
