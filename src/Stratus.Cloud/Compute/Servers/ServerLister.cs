using System.Text.RegularExpressions;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// GET /servers and /servers/detail (nova servers.py _get_servers, contract §4.6). Filters the store can apply go to
/// SQL (project, vm_state, image, flavor, host, reservation, changes-since, deleted, sort, keyset paging); the rest
/// (name and ip regexes, exact status, tags, locked, and admin-only fields) are applied here on batches read until
/// the page is full. Non-admins' all_tenants and admin-only filters are silently dropped, as nova's
/// remove_invalid_options does.
/// </summary>
internal sealed class ServerLister(IInstanceStore store, INetworkAllocator networks, ServerViewLoader views)
{
    private const int MinBatch = 200;

    private static readonly string[] JoinedTableParameters = ["block_device_mapping", "services", "metadata", "system_metadata", "info_cache", "security_groups", "pci_devices"];

    private static readonly string[] SortKeys =
    [
        "access_ip_v4", "access_ip_v6", "auto_disk_config", "availability_zone", "config_drive", "created_at", "display_description", "display_name", "host",
        "hostname", "image_ref", "instance_type_id", "kernel_id", "key_name", "launch_index", "launched_at", "locked_by", "node", "power_state", "progress",
        "project_id", "ramdisk_id", "root_device_name", "task_state", "terminated_at", "updated_at", "user_id", "uuid", "vm_state",
    ];

    private static readonly string[] IgnoredSortKeys =
    [
        "architecture", "cell_name", "cleaned", "default_ephemeral_device", "default_swap_device", "deleted", "deleted_at", "disable_terminate", "ephemeral_gb",
        "ephemeral_key_uuid", "id", "key_data", "launched_on", "locked", "memory_mb", "os_type", "reservation_id", "root_gb", "shutdown_terminate", "user_data",
        "vcpus", "vm_mode",
    ];

    private static readonly string[] StoreSortKeys = ["created_at", "updated_at", "display_name", "uuid", "vm_state", "task_state", "host"];

    private static readonly string[] KnownParameters =
    [
        "user_id", "project_id", "tenant_id", "launch_index", "image_ref", "image", "kernel_id", "ramdisk_id", "hostname", "key_name", "power_state", "vm_state",
        "task_state", "host", "node", "flavor", "reservation_id", "launched_at", "terminated_at", "availability_zone", "name", "display_name", "description",
        "display_description", "locked_by", "uuid", "root_device_name", "config_drive", "access_ip_v4", "access_ip_v6", "auto_disk_config", "progress", "sort_key",
        "sort_dir", "all_tenants", "soft_deleted", "deleted", "status", "changes-since", "ip", "ip6", "created_at", "limit", "marker", "tags", "tags-any",
        "not-tags", "not-tags-any", "changes-before", "locked", .. JoinedTableParameters,
    ];

    public async Task<IResult> ListAsync(HttpContext http, bool detail)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var request = http.Request;
        ComputePolicy.RequireReader(caller, detail ? "os_compute_api:servers:detail" : "os_compute_api:servers:index");
        if (version.AtLeast(2, 75))
        {
            var unknown = request.Query.Keys.Where(k => !KnownParameters.Contains(k) && !k.StartsWith('_')).ToList();
            if (unknown.Count > 0)
            {
                throw ApiException.BadRequest(NovaSchema.AdditionalMessage(unknown));
            }
        }

        var options = Options(version);
        var filters = request.Query.Where(p => options.Contains(p.Key) || (caller.IsAdmin && !IsPagingOrSorting(p.Key))).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var key in filters.Keys)
        {
            if (JoinedTableParameters.Contains(key) || key.StartsWith('_'))
            {
                throw ApiException.BadRequest($"Invalid filter field: {key}.");
            }
        }

        var query = new InstanceQuery { ProjectId = caller.ProjectId };
        var post = new List<Func<Instance, InstanceNetworkView?, bool>>();
        var needsNetworks = false;

        if (filters.TryGetValue("status", out var statusValues))
        {
            var statuses = statusValues.Where(s => s is not null).Select(s => s!.ToUpperInvariant()).ToList();
            var vmStates = ServerStatusMap.VmStatesFor(statuses);
            if (vmStates.Count == 0)
            {
                if (version.AtLeast(2, 38))
                {
                    throw ApiException.BadRequest("Invalid status value");
                }

                return Empty();
            }

            if (vmStates.Count == 1 && vmStates.Contains(VmStates.Deleted))
            {
                if (!caller.IsAdmin)
                {
                    throw ApiException.Forbidden("Only administrators may list deleted instances");
                }

                query = query with { OnlyDeleted = true };
            }
            else
            {
                query = query with { VmStates = vmStates };
            }

            post.Add((i, _) => statuses.Contains(ServerView.StatusOf(i)));
        }

        DateTime? changesSince = null;
        if (Value(filters, "changes-since") is { } sinceText)
        {
            changesSince = NovaSchema.ParseIsoTime(sinceText) ?? throw NovaSchema.InvalidQuery("changes-since", sinceText, $"{PyRepr.Quote(sinceText)} is not a 'date-time'");
            query = query with { ChangesSince = changesSince, IncludeDeleted = true };
        }

        if (Value(filters, "changes-before") is { } beforeText)
        {
            var before = NovaSchema.ParseIsoTime(beforeText) ?? throw NovaSchema.InvalidQuery("changes-before", beforeText, $"{PyRepr.Quote(beforeText)} is not a 'date-time'");
            if (changesSince is { } since && before < since)
            {
                throw ApiException.BadRequest("The value of changes-since must be less than or equal to changes-before.");
            }

            query = query with { IncludeDeleted = true };
            post.Add((i, _) => i.UpdatedAt <= before);
        }

        if (Value(filters, "deleted") is { } deletedText)
        {
            var deleted = NovaSchema.BoolFromString(deletedText);
            query = query with { OnlyDeleted = deleted, IncludeDeleted = false };
        }

        if (AllTenants(filters) && caller.IsAdmin)
        {
            query = query with { ProjectId = Value(filters, "project_id") ?? Value(filters, "tenant_id") };
        }

        query = query with
        {
            ImageId = Value(filters, "image") is { } image ? ServerCreateRequest.IdFromHref(image) : Value(filters, "image_ref"),
            FlavorId = Value(filters, "flavor") is { } flavor ? ServerCreateRequest.IdFromHref(flavor) : null,
            Host = Value(filters, "host"),
            ReservationId = Value(filters, "reservation_id"),
        };

        AddRegex(post, filters, "name", i => i.Name);
        AddRegex(post, filters, "display_name", i => i.Name);
        AddRegex(post, filters, "description", i => i.Description ?? "");
        AddRegex(post, filters, "display_description", i => i.Description ?? "");
        AddRegex(post, filters, "key_name", i => i.KeyName ?? "");
        AddRegex(post, filters, "hostname", i => i.Hostname);
        AddRegex(post, filters, "node", i => i.Node ?? "");
        AddRegex(post, filters, "availability_zone", i => ServerView.AvailabilityZone(i));
        AddExact(post, filters, "user_id", i => i.UserId);
        AddExact(post, filters, "uuid", i => i.Id.ToString("D"));
        AddExact(post, filters, "vm_state", i => i.VmState);
        AddExact(post, filters, "task_state", i => i.TaskState ?? "");
        AddExact(post, filters, "power_state", i => i.PowerState.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddExact(post, filters, "launch_index", i => i.LaunchIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddExact(post, filters, "config_drive", i => i.ConfigDrive ? "True" : "");
        foreach (var (parameter, version6) in new[] { ("ip", false), ("ip6", true) })
        {
            if (Value(filters, parameter) is { } pattern)
            {
                var regex = Regex(parameter, pattern, anchored: true);
                post.Add((i, n) => n is not null && n.Addresses.Any(a => (a.Version == 6) == version6 && regex.IsMatch(a.Address)));
                needsNetworks = true;
            }
        }

        if (version.AtLeast(2, 73) && Value(filters, "locked") is { } lockedText)
        {
            var locked = NovaSchema.StrictBool(lockedText) ?? throw ApiException.BadRequest($"Unrecognized value '{lockedText}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'");
            post.Add((i, _) => i.Locked == locked);
        }

        if (version.AtLeast(2, 26))
        {
            AddTags(post, filters);
        }

        var (sortKey, descending) = Sort(request, version, caller.IsAdmin);
        query = query with { SortKey = sortKey, Descending = descending };
        var limit = NovaQuery.Limit(request);
        var markerText = NovaQuery.Marker(request);
        Guid? marker = null;
        if (markerText is not null)
        {
            marker = Guid.TryParse(markerText, out var parsed) ? parsed : throw NovaQuery.MarkerNotFound(markerText);
        }

        var (page, knownNetworks) = await FetchAsync(query, marker, limit, post, needsNetworks, http.RequestAborted);
        var next = NovaQuery.NextLink(request, $"{views.Bare(caller, version).SelfPrefix.TrimEnd('/')}{(detail ? "/detail" : "")}", page.Count, page.Count > 0 ? page[^1].Id.ToString("D") : null);
        var context = detail ? await views.LoadAsync(caller, version, page, http.RequestAborted, knownNetworks) : views.Bare(caller, version);
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("servers");
            foreach (var instance in page)
            {
                if (detail)
                {
                    ServerView.WriteFull(w, instance, context, ServerViewKind.Detail);
                }
                else
                {
                    ServerView.WriteSummary(w, instance, context);
                }
            }

            w.WriteEndArray();
            w.WriteNextLink("servers_links", next);
            w.WriteEndObject();
        });
    }

    private async Task<(List<Instance> Page, IReadOnlyDictionary<Guid, InstanceNetworkView>? Networks)> FetchAsync(
        InstanceQuery query, Guid? marker, int limit, List<Func<Instance, InstanceNetworkView?, bool>> post, bool needsNetworks, CancellationToken cancellationToken)
    {
        var page = new List<Instance>(Math.Min(limit, NovaQuery.MaxLimit));
        if (limit == 0)
        {
            return (page, null);
        }

        Dictionary<Guid, InstanceNetworkView>? known = needsNetworks ? new() : null;
        var cursor = marker;
        while (page.Count < limit)
        {
            var batch = post.Count == 0 ? limit - page.Count : Math.Max(limit - page.Count, MinBatch);
            IReadOnlyList<Instance> rows;
            try
            {
                rows = await store.ListAsync(query with { Marker = cursor, Limit = batch }, cancellationToken);
            }
            catch (MarkerNotFoundException e)
            {
                throw NovaQuery.MarkerNotFound(e.Marker.ToString("D"));
            }

            IReadOnlyDictionary<Guid, InstanceNetworkView>? described = null;
            if (needsNetworks && rows.Count > 0)
            {
                described = await networks.DescribeAsync(rows.Select(r => r.Id).ToList(), cancellationToken);
            }

            foreach (var row in rows)
            {
                InstanceNetworkView? view = null;
                described?.TryGetValue(row.Id, out view);
                if (post.TrueForAll(p => p(row, view)))
                {
                    page.Add(row);
                    if (view is not null)
                    {
                        known![row.Id] = view;
                    }

                    if (page.Count == limit)
                    {
                        break;
                    }
                }
            }

            if (rows.Count < batch)
            {
                break;
            }

            cursor = rows[^1].Id;
        }

        return (page, known);
    }

    /// <summary>Below 2.38 an unknown status matches nothing instead of failing.</summary>
    private static NovaResult Empty() => NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("servers");
            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>The filters a non-admin may use (nova _get_server_search_options); admins may use any.</summary>
    private static HashSet<string> Options(Microversion version)
    {
        var options = new HashSet<string>(StringComparer.Ordinal) { "reservation_id", "name", "status", "image", "flavor", "ip", "changes-since", "all_tenants" };
        if (version.AtLeast(2, 5))
        {
            options.Add("ip6");
        }

        if (version.AtLeast(2, 26))
        {
            options.UnionWith(["tags", "tags-any", "not-tags", "not-tags-any"]);
        }

        if (version.AtLeast(2, 66))
        {
            options.Add("changes-before");
        }

        if (version.AtLeast(2, 73))
        {
            options.Add("locked");
        }

        return options;
    }

    private static bool IsPagingOrSorting(string key) => key is "limit" or "marker" or "sort_key" or "sort_dir";

    private static string? Value(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> filters, string key) =>
        filters.TryGetValue(key, out var values) && values.Count > 0 ? values[^1] : null;

    /// <summary>nova common.is_all_tenants: present and empty means yes; otherwise a boolean word (anything else is a 400).</summary>
    private static bool AllTenants(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> filters)
    {
        if (!filters.TryGetValue("all_tenants", out var values))
        {
            return false;
        }

        var text = values.Count > 0 ? values[^1] : "";
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        return NovaSchema.StrictBool(text)
            ?? throw ApiException.BadRequest($"Invalid input received: Unrecognized value '{text}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'");
    }

    private static Regex Regex(string parameter, string pattern, bool anchored = false) =>
        NovaSchema.TryRegex(anchored ? $"^(?:{pattern})" : pattern) ?? throw NovaSchema.InvalidQuery(parameter, pattern, $"{PyRepr.Quote(pattern)} is not a 'regex'");

    private static void AddRegex(List<Func<Instance, InstanceNetworkView?, bool>> post, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> filters, string key, Func<Instance, string> field)
    {
        if (Value(filters, key) is { } pattern)
        {
            // nova matches these with a regular expression search (unanchored), in SQL where it can.
            var regex = Regex(key, pattern);
            post.Add((i, _) => regex.IsMatch(field(i)));
        }
    }

    private static void AddExact(List<Func<Instance, InstanceNetworkView?, bool>> post, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> filters, string key, Func<Instance, string> field)
    {
        if (filters.TryGetValue(key, out var values) && values.Count > 0)
        {
            var accepted = values.Where(v => v is not null).Select(v => v!).ToHashSet(StringComparer.Ordinal);
            post.Add((i, _) => accepted.Contains(field(i)));
        }
    }

    private static void AddTags(List<Func<Instance, InstanceNetworkView?, bool>> post, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> filters)
    {
        static string[] Split(string? text) => (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (Value(filters, "tags") is { } all)
        {
            var tags = Split(all);
            post.Add((i, _) => tags.All(i.Tags.Contains));
        }

        if (Value(filters, "tags-any") is { } any)
        {
            var tags = Split(any);
            post.Add((i, _) => tags.Any(i.Tags.Contains));
        }

        if (Value(filters, "not-tags") is { } notAll)
        {
            var tags = Split(notAll);
            post.Add((i, _) => !tags.All(i.Tags.Contains));
        }

        if (Value(filters, "not-tags-any") is { } notAny)
        {
            var tags = Split(notAny);
            post.Add((i, _) => !tags.Any(i.Tags.Contains));
        }
    }

    /// <summary>The first usable sort key (nova sorts by several; the store by one plus the id) and its direction.</summary>
    private static (string Key, bool Descending) Sort(HttpRequest request, Microversion version, bool isAdmin)
    {
        var keys = request.Query["sort_key"].Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!.Trim()).ToList();
        var dirs = request.Query["sort_dir"].Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d!.Trim()).ToList();
        // From 2.75 the keys nova ignores are refused; locked became a real sort key at 2.73.
        string[] valid = version.AtLeast(2, 75) ? [.. SortKeys, "locked"] : [.. SortKeys, .. IgnoredSortKeys];
        foreach (var key in keys)
        {
            if (!valid.Contains(key))
            {
                throw NovaSchema.InvalidQuery("sort_key", key, $"{PyRepr.Quote(key)} is not one of [{string.Join(", ", valid.Select(PyRepr.Quote))}]");
            }
        }

        foreach (var dir in dirs)
        {
            if (dir is not ("asc" or "desc"))
            {
                throw ApiException.BadRequest("Unknown sort direction, must be 'desc' or 'asc'");
            }
        }

        var usable = keys.Select((k, index) => (Key: k, Index: index))
            .FirstOrDefault(k => StoreSortKeys.Contains(k.Key) && (isAdmin || k.Key is not ("host" or "node")));
        if (usable.Key is null)
        {
            return ("created_at", dirs.Count == 0 || dirs[0] == "desc");
        }

        var direction = usable.Index < dirs.Count ? dirs[usable.Index] : dirs.Count > 0 ? dirs[^1] : "desc";
        return (usable.Key, direction == "desc");
    }
}
