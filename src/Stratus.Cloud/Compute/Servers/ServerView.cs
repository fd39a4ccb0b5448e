using System.Text.Json;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// The server representation (nova views/servers.py show/detail/basic/create, contract §4.3). This is the one place
/// that decides which key exists at which microversion:
/// <list type="table">
/// <item>2.1: the base keys; OS-EXT-SRV-ATTR:host, instance_name, hypervisor_hostname for admins</item>
/// <item>2.3: OS-EXT-SRV-ATTR:reservation_id, launch_index, hostname, kernel_id, ramdisk_id, root_device_name, user_data (admins)</item>
/// <item>2.9: locked · 2.16: host_status (admins) · 2.19: description · 2.26: tags · 2.47: the embedded flavor</item>
/// <item>2.63: trusted_image_certificates · 2.71: server_groups (show and update, not detail) · 2.73: locked_reason</item>
/// <item>2.75: PUT answers with the full show view instead of the reduced one</item>
/// </list>
/// progress appears only in ACTIVE, BUILD, REBUILD, RESIZE, VERIFY_RESIZE and MIGRATING; fault only in ERROR and
/// DELETED, with its details for admins only (they name hosts). Written straight to a <see cref="Utf8JsonWriter"/>.
/// </summary>
internal static class ServerView
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Links = JsonEncodedText.Encode("links");
    private static readonly JsonEncodedText Rel = JsonEncodedText.Encode("rel");
    private static readonly JsonEncodedText Href = JsonEncodedText.Encode("href");
    private static readonly JsonEncodedText SelfRel = JsonEncodedText.Encode("self");
    private static readonly JsonEncodedText BookmarkRel = JsonEncodedText.Encode("bookmark");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText Addr = JsonEncodedText.Encode("addr");
    private static readonly JsonEncodedText IpsType = JsonEncodedText.Encode("OS-EXT-IPS:type");
    private static readonly JsonEncodedText IpsMac = JsonEncodedText.Encode("OS-EXT-IPS-MAC:mac_addr");

    private static readonly string[] ProgressStatuses = ["ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"];

    private static readonly string[] FaultStatuses = ["ERROR", "DELETED"];

    public static bool HasExtendedAttributes23(Microversion v) => v.AtLeast(2, 3);

    public static bool HasLocked(Microversion v) => v.AtLeast(2, 9);

    public static bool HasHostStatus(Microversion v) => v.AtLeast(2, 16);

    public static bool HasDescription(Microversion v) => v.AtLeast(2, 19);

    public static bool HasTags(Microversion v) => v.AtLeast(2, 26);

    public static bool HasEmbeddedFlavor(Microversion v) => v.AtLeast(2, 47);

    public static bool HasTrustedCertificates(Microversion v) => v.AtLeast(2, 63);

    public static bool HasServerGroups(Microversion v) => v.AtLeast(2, 71);

    public static bool HasLockedReason(Microversion v) => v.AtLeast(2, 73);

    public static bool UpdateShowsAll(Microversion v) => v.AtLeast(2, 75);

    /// <summary>The API status; a deleted row is DELETED whatever its states say (nova _get_vm_status).</summary>
    public static string StatusOf(Instance i) => i.Deleted ? "DELETED" : i.Status;

    public static bool ShowsFault(string status) => Array.IndexOf(FaultStatuses, status) >= 0;

    /// <summary>GET /servers entries: <c>{"id", "name", "links"}</c>.</summary>
    public static void WriteSummary(Utf8JsonWriter w, Instance i, ServerViewContext ctx)
    {
        w.WriteStartObject();
        var id = i.Id.ToString("D");
        w.WriteString(Id, id);
        w.WriteString(Name, i.Name);
        WriteLinks(w, ctx.SelfPrefix + id, ctx.BookmarkPrefix + id);
        w.WriteEndObject();
    }

    /// <summary>The POST /servers answer: id, links, diskConfig, the requested security groups, adminPass.</summary>
    public static void WriteCreated(Utf8JsonWriter w, Instance i, ServerViewContext ctx, System.Text.Json.Nodes.JsonArray? requestedGroups, string adminPass)
    {
        w.WriteStartObject();
        w.WriteStartObject("server");
        var id = i.Id.ToString("D");
        w.WriteString(Id, id);
        WriteLinks(w, ctx.SelfPrefix + id, ctx.BookmarkPrefix + id);
        w.WriteString("OS-DCF:diskConfig", i.DiskConfig);
        w.WritePropertyName("security_groups");
        if (requestedGroups is not null)
        {
            requestedGroups.WriteTo(w);
        }
        else
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteString(Name, "default");
            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteString("adminPass", adminPass);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The detailed server object, in nova's key order.</summary>
    public static void WriteFull(Utf8JsonWriter w, Instance i, ServerViewContext ctx, ServerViewKind kind)
    {
        var v = ctx.Version;
        var full = kind != ServerViewKind.Update || UpdateShowsAll(v);
        var status = StatusOf(i);
        var id = i.Id.ToString("D");
        ctx.Networks.TryGetValue(i.Id, out var network);

        w.WriteStartObject();
        w.WriteString(Id, id);
        w.WriteString(Name, i.Name);
        w.WriteString("status", status);
        w.WriteString("tenant_id", i.ProjectId);
        w.WriteString("user_id", i.UserId);
        w.WriteStringMap("metadata", i.Metadata);
        w.WriteString("hostId", ctx.HostId(i.ProjectId, i.Host));
        WriteImage(w, i, ctx);
        WriteFlavor(w, i, ctx);
        w.WriteString("created", OpenStackJson.Iso(i.CreatedAt));
        w.WriteString("updated", OpenStackJson.Iso(i.UpdatedAt));
        WriteAddresses(w, i, network, extended: full);
        w.WriteString("accessIPv4", i.AccessIpv4);
        w.WriteString("accessIPv6", i.AccessIpv6);
        WriteLinks(w, ctx.SelfPrefix + id, ctx.BookmarkPrefix + id);
        w.WriteString("OS-DCF:diskConfig", i.DiskConfig);
        if (ShowsFault(status) && ctx.Faults.TryGetValue(i.Id, out var fault))
        {
            WriteFault(w, fault, ctx.IsAdmin);
        }

        if (Array.IndexOf(ProgressStatuses, status) >= 0)
        {
            w.WriteNumber("progress", i.Progress);
        }

        if (full)
        {
            w.WriteString("OS-EXT-AZ:availability_zone", AvailabilityZone(i));
            w.WriteString("config_drive", i.ConfigDrive ? "True" : "");
            w.WriteStringOrNull("key_name", i.KeyName);
            w.WriteStringOrNull("OS-SRV-USG:launched_at", i.LaunchedAt is { } launched ? OpenStackJson.Naive(launched) : null);
            w.WriteStringOrNull("OS-SRV-USG:terminated_at", i.TerminatedAt is { } terminated ? OpenStackJson.Naive(terminated) : null);
            if (kind != ServerViewKind.Detail)
            {
                WriteSecurityGroups(w, network);
            }

            if (ctx.IsAdmin)
            {
                WriteExtendedAttributes(w, i, v);
            }

            w.WriteStringOrNull("OS-EXT-STS:task_state", i.TaskState);
            w.WriteString("OS-EXT-STS:vm_state", i.VmState);
            w.WriteNumber("OS-EXT-STS:power_state", i.PowerState);
            w.WriteStartArray("os-extended-volumes:volumes_attached");
            w.WriteEndArray();
            if (kind != ServerViewKind.Detail)
            {
                WriteHostStatus(w, i, ctx);
            }
        }

        if (HasLocked(v))
        {
            w.WriteBoolean("locked", i.Locked);
        }

        if (HasLockedReason(v))
        {
            w.WriteStringOrNull("locked_reason", i.LockedReason);
        }

        if (HasDescription(v))
        {
            w.WriteStringOrNull("description", i.Description);
        }

        if (HasTags(v))
        {
            w.WriteStartArray("tags");
            foreach (var tag in i.Tags)
            {
                w.WriteStringValue(tag);
            }

            w.WriteEndArray();
        }

        if (HasTrustedCertificates(v))
        {
            w.WriteNull("trusted_image_certificates");
        }

        if (kind == ServerViewKind.Detail)
        {
            // nova's detail adds these for the whole page after the per-server view.
            WriteHostStatus(w, i, ctx);
            WriteSecurityGroups(w, network);
        }
        else if (HasServerGroups(v))
        {
            // Server groups are not implemented, so a server belongs to none.
            w.WriteStartArray("server_groups");
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>nova get_instance_availability_zone: the host's zone once placed, else the requested one or "".</summary>
    public static string AvailabilityZone(Instance i) =>
        i.AvailabilityZone.Length > 0 ? i.AvailabilityZone : string.IsNullOrEmpty(i.Host) ? "" : "nova";

    private static void WriteExtendedAttributes(Utf8JsonWriter w, Instance i, Microversion v)
    {
        w.WriteStringOrNull("OS-EXT-SRV-ATTR:host", i.Host);
        w.WriteString("OS-EXT-SRV-ATTR:instance_name", i.InstanceName);
        w.WriteStringOrNull("OS-EXT-SRV-ATTR:hypervisor_hostname", i.Node);
        if (HasExtendedAttributes23(v))
        {
            w.WriteString("OS-EXT-SRV-ATTR:reservation_id", i.ReservationId);
            w.WriteNumber("OS-EXT-SRV-ATTR:launch_index", i.LaunchIndex);
            w.WriteString("OS-EXT-SRV-ATTR:hostname", i.Hostname);
            w.WriteString("OS-EXT-SRV-ATTR:kernel_id", i.KernelId);
            w.WriteString("OS-EXT-SRV-ATTR:ramdisk_id", i.RamdiskId);
            w.WriteString("OS-EXT-SRV-ATTR:root_device_name", i.RootDeviceName);
            w.WriteStringOrNull("OS-EXT-SRV-ATTR:user_data", i.UserData);
        }
    }

    private static void WriteHostStatus(Utf8JsonWriter w, Instance i, ServerViewContext ctx)
    {
        if (!HasHostStatus(ctx.Version) || ctx.ComputeServices is null)
        {
            return;
        }

        ServiceRecord? service = null;
        if (i.Host is { } host)
        {
            ctx.ComputeServices.TryGetValue(host, out service);
        }

        w.WriteString("host_status", ServiceHealth.HostStatus(service, i.Host, ctx.Now, ctx.ServiceDownTime));
    }

    private static void WriteImage(Utf8JsonWriter w, Instance i, ServerViewContext ctx)
    {
        if (string.IsNullOrEmpty(i.ImageId))
        {
            // Booted from a volume: nova shows an empty string, not an object.
            w.WriteString("image", "");
            return;
        }

        w.WriteStartObject("image");
        w.WriteString(Id, i.ImageId);
        WriteBookmark(w, ctx.ImagePrefix + i.ImageId);
        w.WriteEndObject();
    }

    private static void WriteFlavor(Utf8JsonWriter w, Instance i, ServerViewContext ctx)
    {
        var flavor = i.Flavor;
        w.WriteStartObject("flavor");
        if (HasEmbeddedFlavor(ctx.Version))
        {
            w.WriteNumber("vcpus", flavor.Vcpus);
            w.WriteNumber("ram", flavor.RamMb);
            w.WriteNumber("disk", flavor.DiskGb);
            w.WriteNumber("ephemeral", flavor.EphemeralGb);
            w.WriteNumber("swap", flavor.SwapMb);
            w.WriteString("original_name", flavor.Name);
            // Policy os_compute_api:servers:show:flavor-extra-specs defaults to project reader or admin: every caller.
            w.WriteStringMap("extra_specs", flavor.ExtraSpecs);
        }
        else
        {
            w.WriteString(Id, flavor.Id);
            WriteBookmark(w, ctx.FlavorPrefix + Uri.EscapeDataString(flavor.Id));
        }

        w.WriteEndObject();
    }

    private static void WriteBookmark(Utf8JsonWriter w, string href)
    {
        w.WriteStartArray(Links);
        w.WriteStartObject();
        w.WriteString(Rel, BookmarkRel);
        w.WriteString(Href, href);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteLinks(Utf8JsonWriter w, string self, string bookmark)
    {
        w.WriteStartArray(Links);
        w.WriteStartObject();
        w.WriteString(Rel, SelfRel);
        w.WriteString(Href, self);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString(Rel, BookmarkRel);
        w.WriteString(Href, bookmark);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>
    /// Addresses by network name (the key is the network's name), fixed before floating within a network. Hidden while
    /// the server builds. The OS-EXT-IPS keys appear in show/detail, not in the reduced view or /ips.
    /// </summary>
    public static void WriteAddresses(Utf8JsonWriter w, Instance i, InstanceNetworkView? network, bool extended)
    {
        w.WriteStartObject("addresses");
        if (i.VmState != VmStates.Building && network is { Addresses.Count: > 0 })
        {
            WriteAddressGroups(w, network.Addresses, extended, onlyNetwork: null);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes <c>"net": [{...}, ...]</c> pairs (all networks, or just <paramref name="onlyNetwork"/>).</summary>
    public static void WriteAddressGroups(Utf8JsonWriter w, IReadOnlyList<ServerAddress> addresses, bool extended, string? onlyNetwork)
    {
        var names = new List<string>();
        foreach (var address in addresses)
        {
            if (!names.Contains(address.NetworkName) && (onlyNetwork is null || address.NetworkName == onlyNetwork))
            {
                names.Add(address.NetworkName);
            }
        }

        foreach (var name in names)
        {
            w.WriteStartArray(name);
            foreach (var floating in new[] { false, true })
            {
                foreach (var address in addresses)
                {
                    if (address.NetworkName != name || (address.Type == "floating") != floating)
                    {
                        continue;
                    }

                    w.WriteStartObject();
                    w.WriteNumber(Version, address.Version);
                    w.WriteString(Addr, address.Address);
                    if (extended)
                    {
                        w.WriteString(IpsType, address.Type);
                        w.WriteString(IpsMac, address.MacAddress.ToLowerInvariant());
                    }

                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
        }
    }

    private static void WriteSecurityGroups(Utf8JsonWriter w, InstanceNetworkView? network)
    {
        // One entry per port's group (duplicates possible, as in nova); omitted when no port has any.
        if (network is not { SecurityGroups.Count: > 0 })
        {
            return;
        }

        w.WriteStartArray("security_groups");
        foreach (var group in network.SecurityGroups)
        {
            w.WriteStartObject();
            w.WriteString(Name, group);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFault(Utf8JsonWriter w, InstanceFault fault, bool isAdmin)
    {
        w.WriteStartObject("fault");
        w.WriteNumber("code", fault.Code);
        w.WriteString("created", OpenStackJson.Iso(fault.CreatedAt));
        w.WriteString("message", fault.Message);
        // nova also shows details to tenants when code != 500; ours name hosts and filters, so only admins see them.
        if (isAdmin && !string.IsNullOrEmpty(fault.Details))
        {
            w.WriteString("details", fault.Details);
        }

        w.WriteEndObject();
    }
}
