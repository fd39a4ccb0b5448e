using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Hypervisors;

/// <summary>
/// /os-hypervisors (nova hypervisors.py), admin only: one hypervisor per nova-compute service whose host has reported
/// its facts. Ids are integers below 2.53 and UUIDs (the XenAPI host's) from 2.53; cpu_info is a JSON string up to
/// 2.27 and an object from 2.28; paging from 2.33; search and servers routes below 2.53, query parameters from 2.53.
/// A show of something that is not an id is a 404, so <c>nova hypervisor-show compute1</c> falls back to a name search.
/// </summary>
internal static class HypervisorEndpoints
{
    private const int WholeListThreshold = 8;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/os-hypervisors", (HttpContext http, Context context) => ListAsync(http, context, detail: false));
        group.MapGet("/os-hypervisors/detail", (HttpContext http, Context context) => ListAsync(http, context, detail: true));
        group.MapGet("/os-hypervisors/statistics", StatisticsAsync);
        group.MapGet("/os-hypervisors/{id}", ShowAsync);
        group.MapGet("/os-hypervisors/{id}/uptime", UptimeAsync);
        group.MapGet("/os-hypervisors/{pattern}/search", (HttpContext http, string pattern, Context context) => SearchAsync(http, pattern, context, withServers: false));
        group.MapGet("/os-hypervisors/{pattern}/servers", (HttpContext http, string pattern, Context context) => SearchAsync(http, pattern, context, withServers: true));
    }

    /// <summary>The services a hypervisor view needs, resolved once per request.</summary>
    internal sealed class Context(IServiceStore services, IInstanceStore instances, CloudOptions options, TimeProvider time)
    {
        public IServiceStore Services => services;

        public IInstanceStore Instances => instances;

        public CloudOptions Options => options;

        public DateTime Now => time.GetUtcNow().UtcDateTime;
    }

    public static bool UuidIds(Microversion version) => version.AtLeast(2, 53);

    /// <summary>The compute node's UUID: the XenAPI host's own, or one derived from the service when it has none.</summary>
    public static Guid NodeUuid(ServiceRecord service) =>
        service.Hypervisor is { } facts && Guid.TryParse(facts.XenHostUuid, out var uuid)
            ? uuid
            : new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("stratus-compute-node:" + service.Uuid.ToString("D")))[..16]);

    private static async Task<List<ServiceRecord>> NodesAsync(Context context, CancellationToken cancellationToken) =>
        (await context.Services.ListAsync(cancellationToken)).Where(s => s.IsCompute && s.Hypervisor is not null).OrderBy(s => s.Id).ToList();

    private static async Task<Dictionary<string, HypervisorUsage>> UsageAsync(Context context, IReadOnlyList<ServiceRecord> nodes, CancellationToken cancellationToken)
    {
        var usage = new Dictionary<string, HypervisorUsage>(StringComparer.Ordinal);
        if (nodes.Count > WholeListThreshold)
        {
            var all = (await context.Instances.ListAsync(new InstanceQuery { SortKey = "created_at", Descending = false }, cancellationToken))
                .Where(i => i.Host is not null).ToLookup(i => i.Host!, StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                usage[node.Host] = HypervisorUsage.Of(node.Hypervisor!, all[node.Host].ToList(), context.Options.ReservedHostMemoryMb);
            }
        }
        else
        {
            foreach (var node in nodes)
            {
                usage[node.Host] = HypervisorUsage.Of(node.Hypervisor!, await context.Instances.ListOnHostAsync(node.Host, cancellationToken), context.Options.ReservedHostMemoryMb);
            }
        }

        return usage;
    }

    private static async Task<IResult> ListAsync(HttpContext http, Context context, bool detail)
    {
        ComputePolicy.RequireAdmin(http.Caller(), detail ? "os_compute_api:os-hypervisors:list-detail" : "os_compute_api:os-hypervisors:list");
        var version = ComputeMicroversionFilter.Of(http);
        var request = http.Request;
        var nodes = await NodesAsync(context, http.RequestAborted);
        var withServers = false;
        var paged = version.AtLeast(2, 33);
        if (UuidIds(version))
        {
            withServers = WithServers(request);
            if (NovaQuery.Get(request, "hypervisor_hostname_pattern") is { } pattern)
            {
                if (NovaQuery.Has(request, "limit") || NovaQuery.Has(request, "marker"))
                {
                    throw ApiException.BadRequest("Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.");
                }

                nodes = Matching(nodes, pattern);
                paged = false;
            }
        }

        if (paged)
        {
            var marker = NovaQuery.Marker(request);
            if (marker is not null)
            {
                var index = nodes.FindIndex(n => Id(n, version) == marker);
                if (index < 0)
                {
                    throw NovaQuery.MarkerNotFound(marker);
                }

                nodes = nodes.Skip(index + 1).ToList();
            }

            nodes = nodes.Take(NovaQuery.Limit(request)).ToList();
        }

        var usage = detail || withServers ? await UsageAsync(context, nodes, http.RequestAborted) : null;
        var next = paged ? NovaQuery.NextLink(request, $"{http.RequestServices.GetRequiredService<ServiceUrls>().Compute}/os-hypervisors{(detail ? "/detail" : "")}", nodes.Count, nodes.Count > 0 ? Id(nodes[^1], version) : null) : null;
        var now = context.Now;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("hypervisors");
            foreach (var node in nodes)
            {
                Write(w, node, usage?[node.Host], version, detail, now, context.Options.ServiceDownTime, withServers ? ServersOf(usage![node.Host]) : null, withServers);
            }

            w.WriteEndArray();
            w.WriteNextLink("hypervisors_links", next);
            w.WriteEndObject();
        });
    }

    private static bool WithServers(HttpRequest request)
    {
        var text = NovaQuery.Get(request, "with_servers");
        return text is null ? false : NovaSchema.StrictBool(text)
            ?? throw NovaSchema.InvalidQuery("with_servers", text, $"{PyRepr.Quote(text)} is not one of ['True', 'true', 'TRUE', 'False', 'false', 'FALSE', ...]");
    }

    private static List<ServiceRecord> Matching(List<ServiceRecord> nodes, string pattern)
    {
        // nova's compute_node_search_by_hypervisor: a substring match on hypervisor_hostname (SQL LIKE %pattern%).
        var matches = nodes.Where(n => n.Hypervisor!.HypervisorHostname.Contains(pattern, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count > 0 ? matches : throw ApiException.NotFound($"No hypervisor matching '{pattern}' could be found.");
    }

    private static IReadOnlyList<Instance> ServersOf(HypervisorUsage usage) => usage.Instances;

    private static string Id(ServiceRecord node, Microversion version) =>
        UuidIds(version) ? NodeUuid(node).ToString("D") : node.Id.ToString(CultureInfo.InvariantCulture);

    public static void Write(
        Utf8JsonWriter w, ServiceRecord node, HypervisorUsage? usage, Microversion version, bool detail, DateTime now, TimeSpan serviceDownTime,
        IReadOnlyList<Instance>? servers, bool withServers)
    {
        var facts = node.Hypervisor!;
        w.WriteStartObject();
        if (UuidIds(version))
        {
            w.WriteString("id", NodeUuid(node).ToString("D"));
        }
        else
        {
            w.WriteNumber("id", node.Id);
        }

        w.WriteString("hypervisor_hostname", facts.HypervisorHostname);
        w.WriteString("state", ServiceHealth.IsUp(node, now, serviceDownTime) ? "up" : "down");
        w.WriteString("status", node.Disabled ? "disabled" : "enabled");
        if (detail)
        {
            w.WriteString("hypervisor_type", facts.HypervisorType);
            w.WriteNumber("hypervisor_version", facts.HypervisorVersion);
            w.WriteString("host_ip", facts.HostIp);
            w.WriteStartObject("service");
            if (UuidIds(version))
            {
                w.WriteString("id", node.Uuid.ToString("D"));
            }
            else
            {
                w.WriteNumber("id", node.Id);
            }

            w.WriteString("host", node.Host);
            w.WriteStringOrNull("disabled_reason", node.DisabledReason);
            w.WriteEndObject();
            var u = usage!;
            w.WriteNumber("vcpus", u.Vcpus);
            w.WriteNumber("memory_mb", u.MemoryMb);
            w.WriteNumber("local_gb", u.LocalGb);
            w.WriteNumber("vcpus_used", u.VcpusUsed);
            w.WriteNumber("memory_mb_used", u.MemoryMbUsed);
            w.WriteNumber("local_gb_used", u.LocalGbUsed);
            w.WriteNumber("free_ram_mb", u.FreeRamMb);
            w.WriteNumber("free_disk_gb", u.FreeDiskGb);
            w.WriteNumber("current_workload", u.CurrentWorkload);
            w.WriteNumber("running_vms", u.RunningVms);
            w.WriteNumber("disk_available_least", u.DiskAvailableLeast);
            if (version.AtLeast(2, 28))
            {
                w.WritePropertyName("cpu_info");
                if (!string.IsNullOrEmpty(facts.CpuInfoJson) && JsonNode.Parse(facts.CpuInfoJson) is JsonObject cpu)
                {
                    cpu.WriteTo(w);
                }
                else
                {
                    w.WriteStartObject();
                    w.WriteEndObject();
                }
            }
            else
            {
                w.WriteString("cpu_info", facts.CpuInfoJson);
            }
        }

        if (servers is { Count: > 0 })
        {
            w.WriteStartArray("servers");
            foreach (var server in servers)
            {
                w.WriteStartObject();
                w.WriteString("name", server.Name);
                w.WriteString("uuid", server.Id.ToString("D"));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else if (withServers && version.AtLeast(2, 75))
        {
            w.WriteStartArray("servers");
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static async Task<ServiceRecord> FindAsync(HttpContext http, string id, Context context)
    {
        var version = ComputeMicroversionFilter.Of(http);
        var notFound = ApiException.NotFound($"Hypervisor with ID '{id}' could not be found.", "HypervisorNotFound");
        var nodes = await NodesAsync(context, http.RequestAborted);
        if (UuidIds(version))
        {
            // Upstream answers a non-UUID with 400; 404 lets novaclient fall back to a name search (contract §0.10).
            return Guid.TryParse(id, out var uuid) ? nodes.FirstOrDefault(n => NodeUuid(n) == uuid) ?? throw notFound : throw notFound;
        }

        return long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? nodes.FirstOrDefault(n => n.Id == number) ?? throw notFound
            : throw notFound;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string id, Context context)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-hypervisors:show");
        var version = ComputeMicroversionFilter.Of(http);
        var withServers = UuidIds(version) && WithServers(http.Request);
        var node = await FindAsync(http, id, context);
        var usage = (await UsageAsync(context, [node], http.RequestAborted))[node.Host];
        var now = context.Now;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("hypervisor");
            Write(w, node, usage, version, detail: true, now, context.Options.ServiceDownTime, withServers ? usage.Instances : null, withServers);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> UptimeAsync(HttpContext http, string id, Context context)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-hypervisors:uptime");
        var version = ComputeMicroversionFilter.Of(http);
        var node = await FindAsync(http, id, context);
        var now = context.Now;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("hypervisor");
            if (UuidIds(version))
            {
                w.WriteString("id", NodeUuid(node).ToString("D"));
            }
            else
            {
                w.WriteNumber("id", node.Id);
            }

            w.WriteString("hypervisor_hostname", node.Hypervisor!.HypervisorHostname);
            w.WriteString("state", ServiceHealth.IsUp(node, now, context.Options.ServiceDownTime) ? "up" : "down");
            w.WriteString("status", node.Disabled ? "disabled" : "enabled");
            w.WriteString("uptime", Uptime(now, node.Hypervisor.BootTime));
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>The start of what uptime(1) prints: <c> 12:00:00 up 1 day,  2:03</c>.</summary>
    public static string Uptime(DateTime now, DateTime bootTime)
    {
        var up = now - bootTime;
        if (up < TimeSpan.Zero)
        {
            up = TimeSpan.Zero;
        }

        var days = up.Days switch
        {
            0 => "",
            1 => "1 day, ",
            var d => $"{d} days, ",
        };
        var clock = up.Hours == 0 ? $"{up.Minutes} min" : $"{up.Hours,2}:{up.Minutes:00}";
        return string.Create(CultureInfo.InvariantCulture, $" {now:HH:mm:ss} up {days}{clock}");
    }

    private static async Task<IResult> SearchAsync(HttpContext http, string pattern, Context context, bool withServers)
    {
        var version = ComputeMicroversionFilter.Of(http);
        if (UuidIds(version))
        {
            throw ApiException.NotFound("The resource could not be found.");
        }

        ComputePolicy.RequireAdmin(http.Caller(), withServers ? "os_compute_api:os-hypervisors:servers" : "os_compute_api:os-hypervisors:search");
        var nodes = Matching(await NodesAsync(context, http.RequestAborted), pattern);
        var usage = withServers ? await UsageAsync(context, nodes, http.RequestAborted) : null;
        var now = context.Now;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("hypervisors");
            foreach (var node in nodes)
            {
                Write(w, node, null, version, detail: false, now, context.Options.ServiceDownTime, usage?[node.Host].Instances, withServers: false);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> StatisticsAsync(HttpContext http, Context context)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-hypervisors:statistics");
        var nodes = await NodesAsync(context, http.RequestAborted);
        var usage = (await UsageAsync(context, nodes, http.RequestAborted)).Values.ToList();
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("hypervisor_statistics");
            w.WriteNumber("count", usage.Count);
            w.WriteNumber("vcpus_used", usage.Sum(u => (long)u.VcpusUsed));
            w.WriteNumber("local_gb_used", usage.Sum(u => u.LocalGbUsed));
            w.WriteNumber("memory_mb", usage.Sum(u => u.MemoryMb));
            w.WriteNumber("current_workload", usage.Sum(u => (long)u.CurrentWorkload));
            w.WriteNumber("vcpus", usage.Sum(u => (long)u.Vcpus));
            w.WriteNumber("running_vms", usage.Sum(u => (long)u.RunningVms));
            w.WriteNumber("free_disk_gb", usage.Sum(u => u.FreeDiskGb));
            w.WriteNumber("disk_available_least", usage.Sum(u => u.DiskAvailableLeast));
            w.WriteNumber("local_gb", usage.Sum(u => u.LocalGb));
            w.WriteNumber("free_ram_mb", usage.Sum(u => u.FreeRamMb));
            w.WriteNumber("memory_mb_used", usage.Sum(u => u.MemoryMbUsed));
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
