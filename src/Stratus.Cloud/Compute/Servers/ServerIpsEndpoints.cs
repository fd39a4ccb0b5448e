using Microsoft.AspNetCore.Mvc;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>/servers/{id}/ips (nova ips.py): addresses with only version and addr (no OS-EXT-IPS keys, contract §0.11).</summary>
internal static class ServerIpsEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/servers/{id}/ips", IndexAsync);
        group.MapGet("/servers/{id}/ips/{network}", ShowAsync);
    }

    private static async Task<IReadOnlyList<ServerAddress>> AddressesAsync(HttpContext http, string id, ServerAccess access, INetworkAllocator networks)
    {
        var instance = await access.GetAsync(http.Caller(), id, http.RequestAborted);
        var views = await networks.DescribeAsync([instance.Id], http.RequestAborted);
        return views.TryGetValue(instance.Id, out var view) ? view.Addresses : [];
    }

    private static async Task<IResult> IndexAsync(HttpContext http, string id, ServerAccess access, [FromServices] INetworkAllocator networks)
    {
        var addresses = await AddressesAsync(http, id, access, networks);
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("addresses");
            ServerView.WriteAddressGroups(w, addresses, extended: false, onlyNetwork: null);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string id, string network, ServerAccess access, [FromServices] INetworkAllocator networks)
    {
        var addresses = await AddressesAsync(http, id, access, networks);
        if (!addresses.Any(a => a.NetworkName == network))
        {
            throw ApiException.NotFound("Instance is not a member of specified network");
        }

        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            ServerView.WriteAddressGroups(w, addresses, extended: false, onlyNetwork: network);
            w.WriteEndObject();
        });
    }
}
