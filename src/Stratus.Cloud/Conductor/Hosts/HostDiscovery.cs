using Stratus.Cloud.Compute.Services;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// First contact with a XenAPI host: log in (following HOST_IS_SLAVE to the pool master, as os-xenapi does), read
/// the pool and its hosts, and say what the compute service will be called (the master's name_label).
/// </summary>
internal static class HostDiscovery
{
    public static async Task<DiscoveredHost> DiscoverAsync(IXenApiConnector connector, HostConnection connection, CancellationToken cancellationToken)
    {
        var url = connection.Url;
        for (var redirects = 0; ; redirects++)
        {
            using var client = connector.CreateClient(new Uri(url.EndsWith('/') ? url : url + "/"));
            XenSession session;
            try
            {
                session = await XenSession.LoginAsync(client, connection.User, connection.Password, cancellationToken);
            }
            catch (XenApiFailure failure) when (failure.Code == XenErrors.HostIsSlave && failure.Parameters.Count > 0 && redirects < 2)
            {
                var master = failure.Parameters[0];
                var builder = new UriBuilder(url) { Host = master.Contains(':', StringComparison.Ordinal) ? $"[{master}]" : master };
                url = builder.Uri.ToString();
                continue;
            }

            await using (session)
            {
                var pools = XenRecord.AsRecords(await session.CallAsync("pool.get_all_records", cancellationToken));
                var pool = pools.Values.FirstOrDefault() ?? throw new XenApiFailure(XenErrors.InternalError, "the server reports no pool");
                var hosts = XenRecord.AsRecords(await session.CallAsync("host.get_all_records", cancellationToken));
                var master = hosts.GetValueOrDefault(pool.String("master")) ?? throw new XenApiFailure(XenErrors.InternalError, "the pool's master is not among its hosts");
                return new DiscoveredHost(
                    connection with { Url = url },
                    master.String("name_label"),
                    master.String("hostname") is { Length: > 0 } hostname ? hostname : master.String("name_label"),
                    master.String("uuid"),
                    [.. hosts.Values.Select(h => h.String("name_label")).Order(StringComparer.Ordinal)]);
            }
        }
    }
}

/// <summary>A host as first contact found it: the connection that worked, the service name, the node name, the pool's hosts.</summary>
internal sealed record DiscoveredHost(HostConnection Connection, string Name, string Hostname, string Uuid, IReadOnlyList<string> PoolHosts);
