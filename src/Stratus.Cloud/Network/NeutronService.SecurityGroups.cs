using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Stratus.Cloud.Network.Api;
using Stratus.Cloud.Network.Ipam;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.Network.Storage;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network;

/// <summary>
/// Security groups and their rules (neutron db/securitygroups_db.py). Every project gets a <c>default</c> group on
/// first use, with neutron's rules: egress IPv4 and IPv6 to anywhere, ingress IPv4 and IPv6 from the group itself.
/// </summary>
internal sealed partial class NeutronService
{
    public const string DefaultGroupName = "default";

    private static readonly HashSet<string> GroupCreateAttributes = new(StringComparer.Ordinal) { "name", "description", "stateful", "tenant_id", "project_id" };

    private static readonly HashSet<string> GroupUpdateAttributes = new(StringComparer.Ordinal) { "name", "description", "stateful" };

    private static readonly HashSet<string> RuleCreateAttributes = new(StringComparer.Ordinal)
    {
        "security_group_id", "direction", "ethertype", "protocol", "port_range_min", "port_range_max", "remote_ip_prefix", "remote_group_id",
        "remote_address_group_id", "description", "tenant_id", "project_id",
    };

    /// <summary>neutron-lib constants IP_PROTOCOL_MAP (names a rule's protocol may use besides 0-255).</summary>
    private static readonly string[] ProtocolNames =
    [
        "ah", "dccp", "egp", "esp", "gre", "icmp", "icmpv6", "igmp", "ipip", "ipv6-encap", "ipv6-frag", "ipv6-icmp", "ipv6-nonxt", "ipv6-opts",
        "ipv6-route", "ospf", "pgm", "rsvp", "sctp", "tcp", "udp", "udplite", "vrrp", "any",
    ];

    private static readonly string[] PortProtocols = ["tcp", "udp", "sctp", "dccp", "udplite", "6", "17", "132", "33", "136"];
    private static readonly string[] IcmpProtocols = ["icmp", "icmpv6", "ipv6-icmp", "1", "58"];

    public Task<IReadOnlyList<JsonObject>> ListSecurityGroupsAsync(RequestContext caller, string? forProject, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            // Listing is a "first use": the caller's project (or the one an admin asks about) gets its default group.
            await EnsureDefaultIfScopedAsync(c, t, caller.ProjectId, cancellationToken);
            if (caller.IsAdmin && forProject is not null)
            {
                await EnsureDefaultSecurityGroupAsync(c, t, forProject, cancellationToken);
            }

            var groups = caller.IsAdmin
                ? await NeutronTables.SecurityGroups.WhereAsync(c, t, "", null, cancellationToken)
                : await NeutronTables.SecurityGroups.WhereAsync(c, t, "project_id = @project", new { project = caller.ProjectId ?? "" }, cancellationToken);
            var rules = caller.IsAdmin
                ? await NeutronTables.SecurityGroupRules.WhereAsync(c, t, "", null, cancellationToken)
                : await NeutronTables.SecurityGroupRules.WhereAsync(c, t, "security_group_id IN (SELECT id FROM net_security_groups WHERE project_id = @project)", new { project = caller.ProjectId ?? "" }, cancellationToken);
            var byGroup = rules.ToLookup(r => r.SecurityGroupId, StringComparer.Ordinal);
            return groups.Select(g => NeutronViews.SecurityGroup(g, OrderRules(byGroup[g.Id]))).ToList();
        }, cancellationToken);

    public Task<JsonObject> GetSecurityGroupAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            await EnsureDefaultIfScopedAsync(c, t, caller.ProjectId, cancellationToken);
            var group = await VisibleGroupAsync(c, t, caller, id, cancellationToken);
            return NeutronViews.SecurityGroup(group, await RulesOfAsync(c, t, id, cancellationToken));
        }, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> CreateSecurityGroupsAsync(RequestContext caller, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "create_security_group");
        return WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            var created = new List<JsonObject>();
            foreach (var item in items)
            {
                NeutronInput.AllowOnly(item, GroupCreateAttributes);
                var project = NeutronInput.ProjectFor(item, caller);
                var name = NeutronInput.String(item, "name") ?? "";
                await EnsureDefaultSecurityGroupAsync(c, t, project, cancellationToken);
                if (name == DefaultGroupName)
                {
                    throw NeutronErrors.Conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
                }

                await EnforceQuotaAsync(c, t, project, "security_group", cancellationToken);

                var group = await CreateGroupAsync(c, t, project, name, NeutronInput.String(item, "description") ?? "", NeutronInput.Bool(item, "stateful") ?? true, withIngressFromSelf: false, cancellationToken);
                created.Add(NeutronViews.SecurityGroup(group, await RulesOfAsync(c, t, group.Id, cancellationToken)));
            }

            return created;
        }, cancellationToken);
    }

    public Task<JsonObject> UpdateSecurityGroupAsync(RequestContext caller, string id, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, GroupUpdateAttributes);
        return WriteAsync(async (c, t) =>
        {
            var group = await VisibleGroupAsync(c, t, caller, id, cancellationToken);
            RequireWriter(caller, "update_security_group");
            var name = NeutronInput.String(item, "name");
            if (group.Name == DefaultGroupName && name is not null && name != DefaultGroupName)
            {
                throw NeutronErrors.Conflict("SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.");
            }

            if (name == DefaultGroupName && group.Name != DefaultGroupName)
            {
                throw NeutronErrors.Conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
            }

            var updated = group with
            {
                Name = name ?? group.Name,
                Description = NeutronInput.String(item, "description") ?? group.Description,
                Stateful = NeutronInput.Bool(item, "stateful") ?? group.Stateful,
                UpdatedAt = Now,
                RevisionNumber = group.RevisionNumber + 1,
            };
            await NeutronTables.SecurityGroups.UpdateAsync(c, t, updated, cancellationToken);
            return NeutronViews.SecurityGroup(updated, await RulesOfAsync(c, t, id, cancellationToken));
        }, cancellationToken);
    }

    public Task DeleteSecurityGroupAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var group = await VisibleGroupAsync(c, t, caller, id, cancellationToken);
            RequireWriter(caller, "delete_security_group");
            var isDefault = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM net_default_security_groups WHERE security_group_id = @id", new { id }, t, cancellationToken: cancellationToken)) > 0;
            if (isDefault && !caller.IsAdmin)
            {
                throw NeutronErrors.Conflict("SecurityGroupCannotRemoveDefault", "Insufficient rights for removing default security group.");
            }

            var users = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM net_port_security_groups WHERE security_group_id = @id", new { id }, t, cancellationToken: cancellationToken));
            if (users > 0)
            {
                throw NeutronErrors.Conflict("SecurityGroupInUse", $"Security Group {id} in use.");
            }

            // Rules of other groups that name this one as their remote group go with it (neutron cascades them).
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_security_group_rules WHERE security_group_id = @id OR remote_group_id = @id",
                new { id = group.Id }, t, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_default_security_groups WHERE security_group_id = @id", new { id }, t, cancellationToken: cancellationToken));
            await NeutronTables.SecurityGroups.DeleteAsync(c, t, id, cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> ListRulesAsync(RequestContext caller, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            await EnsureDefaultIfScopedAsync(c, t, caller.ProjectId, cancellationToken);
            var rules = caller.IsAdmin
                ? await NeutronTables.SecurityGroupRules.WhereAsync(c, t, "", null, cancellationToken)
                : await NeutronTables.SecurityGroupRules.WhereAsync(c, t, "security_group_id IN (SELECT id FROM net_security_groups WHERE project_id = @project)", new { project = caller.ProjectId ?? "" }, cancellationToken);
            return rules.Select(NeutronViews.Rule).ToList();
        }, cancellationToken);

    public Task<JsonObject> GetRuleAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c =>
        {
            var rule = await NeutronTables.SecurityGroupRules.FindAsync(c, null, id, cancellationToken);
            return rule is not null && Owns(caller, rule.ProjectId) ? NeutronViews.Rule(rule) : throw NeutronErrors.SecurityGroupRuleNotFound(id);
        }, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> CreateRulesAsync(RequestContext caller, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "create_security_group_rule");
        return WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            var created = new List<JsonObject>();
            foreach (var item in items)
            {
                created.Add(NeutronViews.Rule(await CreateRuleFromApiAsync(c, t, caller, item, cancellationToken)));
            }

            return created;
        }, cancellationToken);
    }

    public Task DeleteRuleAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var rule = await NeutronTables.SecurityGroupRules.FindAsync(c, t, id, cancellationToken);
            if (rule is null || !Owns(caller, rule.ProjectId))
            {
                throw NeutronErrors.SecurityGroupRuleNotFound(id);
            }

            RequireWriter(caller, "delete_security_group_rule");
            await NeutronTables.SecurityGroupRules.DeleteAsync(c, t, id, cancellationToken);
            return 0;
        }, cancellationToken);

    /// <summary>The project's default group, created with its standard rules on first use (once, under a unique key).</summary>
    internal async Task<SecurityGroupRecord> EnsureDefaultSecurityGroupAsync(DbConnection c, DbTransaction t, string projectId, CancellationToken cancellationToken)
    {
        var existing = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT security_group_id FROM net_default_security_groups WHERE project_id = @projectId", new { projectId }, t, cancellationToken: cancellationToken));
        if (existing is not null && await NeutronTables.SecurityGroups.FindAsync(c, t, existing, cancellationToken) is { } group)
        {
            return group;
        }

        var created = await CreateGroupAsync(c, t, projectId, DefaultGroupName, "Default security group", stateful: true, withIngressFromSelf: true, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO net_default_security_groups (project_id, security_group_id) VALUES (@projectId, @id)", new { projectId, id = created.Id }, t, cancellationToken: cancellationToken));
        return created;
    }

    private async Task EnsureDefaultIfScopedAsync(DbConnection c, DbTransaction t, string? projectId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(projectId))
        {
            await EnsureDefaultSecurityGroupAsync(c, t, projectId, cancellationToken);
        }
    }

    /// <summary>A new group with egress-anywhere rules (and, for the default group, ingress from itself).</summary>
    private async Task<SecurityGroupRecord> CreateGroupAsync(DbConnection c, DbTransaction t, string projectId, string name, string description, bool stateful, bool withIngressFromSelf, CancellationToken cancellationToken)
    {
        var now = Now;
        var group = new SecurityGroupRecord { Id = NewId(), ProjectId = projectId, Name = name, Description = description, Stateful = stateful, CreatedAt = now, UpdatedAt = now };
        await NeutronTables.SecurityGroups.InsertAsync(c, t, group, cancellationToken);
        foreach (var ethertype in new[] { "IPv4", "IPv6" })
        {
            await InsertRuleAsync(c, t, new SecurityGroupRuleRecord
            {
                Id = NewId(), SecurityGroupId = group.Id, ProjectId = projectId, Direction = "egress", Ethertype = ethertype, CreatedAt = now, UpdatedAt = now,
            }, cancellationToken);
            if (withIngressFromSelf)
            {
                await InsertRuleAsync(c, t, new SecurityGroupRuleRecord
                {
                    Id = NewId(), SecurityGroupId = group.Id, ProjectId = projectId, Direction = "ingress", Ethertype = ethertype, RemoteGroupId = group.Id, CreatedAt = now, UpdatedAt = now,
                }, cancellationToken);
            }
        }

        return group;
    }

    private async Task<SecurityGroupRuleRecord> CreateRuleFromApiAsync(DbConnection c, DbTransaction t, RequestContext caller, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, RuleCreateAttributes);
        NeutronInput.Require(item, "security_group_id");
        var groupId = NeutronInput.String(item, "security_group_id", 64)!;
        var group = await VisibleGroupAsync(c, t, caller, groupId, cancellationToken);
        await EnforceQuotaAsync(c, t, group.ProjectId, "security_group_rule", cancellationToken);
        var direction = NeutronInput.String(item, "direction", 16, nullable: true);
        if (direction is not ("ingress" or "egress"))
        {
            throw NeutronErrors.InvalidAttribute("direction", $"'{direction ?? "None"}' is not in ['ingress', 'egress']");
        }

        var ethertype = NeutronInput.String(item, "ethertype", 16, nullable: true) ?? "IPv4";
        ethertype = ethertype.ToLowerInvariant() switch
        {
            "ipv4" => "IPv4",
            "ipv6" => "IPv6",
            _ => throw NeutronErrors.InvalidAttribute("ethertype", $"'{ethertype}' is not in ['IPv4', 'IPv6']"),
        };
        var protocol = Protocol(item);
        var min = (int?)NeutronInput.Integer(item, "port_range_min", 0, 65535, nullable: true);
        var max = (int?)NeutronInput.Integer(item, "port_range_max", 0, 65535, nullable: true);
        CheckPortRange(protocol, min, max);
        if (protocol is "icmpv6" or "ipv6-icmp" or "58" && ethertype == "IPv4")
        {
            throw NeutronErrors.BadRequest("SecurityGroupEthertypeConflictWithProtocol", $"Ethertype IPv4 is not supported by protocol {protocol}.");
        }

        var prefix = NeutronInput.String(item, "remote_ip_prefix", 64, nullable: true);
        var remoteGroup = NeutronInput.String(item, "remote_group_id", 64, nullable: true);
        if (NeutronInput.String(item, "remote_address_group_id", 64, nullable: true) is not null)
        {
            throw NeutronErrors.BadRequest("HTTPBadRequest", "Address groups are not supported.");
        }

        if (prefix is not null && remoteGroup is not null)
        {
            throw NeutronErrors.BadRequest("SecurityGroupRemoteGroupAndRemoteIpPrefix", "Only remote_ip_prefix or remote_group_id may be provided.");
        }

        if (prefix is not null)
        {
            if (!IpSubnet.TryParseLoose(prefix, out var cidr))
            {
                throw NeutronErrors.InvalidAttribute("remote_ip_prefix", $"'{prefix}' is not a valid IP subnet");
            }

            if ((cidr.Version == 4) != (ethertype == "IPv4"))
            {
                throw NeutronErrors.BadRequest("SecurityGroupConflictingEthertypeAndCIDR", $"Conflicting value ethertype {ethertype} for CIDR {prefix}");
            }

            prefix = cidr.ToString();
        }

        if (remoteGroup is not null)
        {
            await VisibleGroupAsync(c, t, caller, remoteGroup, cancellationToken);
        }

        var now = Now;
        var rule = new SecurityGroupRuleRecord
        {
            Id = NewId(),
            SecurityGroupId = group.Id,
            ProjectId = group.ProjectId,
            Direction = direction,
            Ethertype = ethertype,
            Protocol = protocol,
            PortRangeMin = min,
            PortRangeMax = max,
            RemoteIpPrefix = prefix,
            RemoteGroupId = remoteGroup,
            Description = NeutronInput.String(item, "description") ?? "",
            CreatedAt = now,
            UpdatedAt = now,
        };
        var duplicate = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT id FROM net_security_group_rules WHERE security_group_id = @group AND signature = @signature",
            new { group = group.Id, signature = rule.Signature }, t, cancellationToken: cancellationToken));
        if (duplicate is not null)
        {
            throw NeutronErrors.Conflict("SecurityGroupRuleExists", $"Security group rule already exists. Rule id is {duplicate}.");
        }

        await InsertRuleAsync(c, t, rule, cancellationToken);
        return rule;
    }

    private static string? Protocol(JsonObject item)
    {
        if (!item.TryGetPropertyValue("protocol", out var node) || node is null)
        {
            return null;
        }

        var text = node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.ToJsonString() : NeutronInput.String(item, "protocol", 32);
        if (text is null)
        {
            return null;
        }

        text = text.ToLowerInvariant();
        if (ProtocolNames.Contains(text))
        {
            return text == "any" ? null : text;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 255)
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        throw NeutronErrors.BadRequest("SecurityGroupRuleInvalidProtocol",
            $"Security group rule protocol {text} not supported. Only protocol values [None, {string.Join(", ", ProtocolNames.Where(p => p != "any").Select(p => $"'{p}'"))}] and integer representations [0 to 255] are supported.");
    }

    private static void CheckPortRange(string? protocol, int? min, int? max)
    {
        if (min is null && max is null)
        {
            return;
        }

        if (protocol is null)
        {
            throw NeutronErrors.BadRequest("SecurityGroupProtocolRequiredWithPorts", "Must also specify protocol if port range is given.");
        }

        if (PortProtocols.Contains(protocol))
        {
            if (min is null || max is null || min < 1 || max < min)
            {
                throw NeutronErrors.BadRequest("SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max");
            }
        }
        else if (IcmpProtocols.Contains(protocol))
        {
            if (min is > 255 || max is > 255)
            {
                throw NeutronErrors.BadRequest("SecurityGroupInvalidIcmpValue", $"Invalid value for ICMP {(min is > 255 ? "type" : "code")}: {(min is > 255 ? min : max)}");
            }

            if (min is null)
            {
                throw NeutronErrors.BadRequest("SecurityGroupMissingIcmpType", $"ICMP code (port-range-max) {max} is provided but ICMP type (port-range-min) is missing.");
            }
        }
        else
        {
            throw NeutronErrors.BadRequest("SecurityGroupInvalidProtocolForPortRange", $"Invalid protocol {protocol} for port range, only supported for TCP, UDP, UDPLITE, SCTP and DCCP.");
        }
    }

    private static Task InsertRuleAsync(DbConnection c, DbTransaction t, SecurityGroupRuleRecord rule, CancellationToken cancellationToken) =>
        NeutronTables.SecurityGroupRules.InsertAsync(c, t, rule, cancellationToken);

    private static async Task<SecurityGroupRecord> VisibleGroupAsync(DbConnection c, DbTransaction? t, RequestContext caller, string id, CancellationToken cancellationToken)
    {
        var group = await NeutronTables.SecurityGroups.FindAsync(c, t, id, cancellationToken);
        return group is not null && Owns(caller, group.ProjectId) ? group : throw NeutronErrors.SecurityGroupNotFound(id);
    }

    private static async Task<IReadOnlyList<SecurityGroupRuleRecord>> RulesOfAsync(DbConnection c, DbTransaction? t, string groupId, CancellationToken cancellationToken) =>
        OrderRules(await NeutronTables.SecurityGroupRules.WhereAsync(c, t, "security_group_id = @groupId", new { groupId }, cancellationToken));

    private static List<SecurityGroupRuleRecord> OrderRules(IEnumerable<SecurityGroupRuleRecord> rules) =>
        rules.OrderBy(r => r.CreatedAt).ThenBy(r => r.Direction, StringComparer.Ordinal).ThenBy(r => r.Ethertype, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    /// <summary>Security groups named by id or name, all belonging to <paramref name="projectId"/> (404 otherwise).</summary>
    private async Task<List<string>> CheckedSecurityGroupsAsync(DbConnection c, DbTransaction t, RequestContext caller, string projectId, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        foreach (var reference in groups)
        {
            var group = await NeutronTables.SecurityGroups.FindAsync(c, t, reference, cancellationToken);
            if (group is null || (group.ProjectId != projectId && !caller.IsAdmin))
            {
                throw NeutronErrors.SecurityGroupNotFound(reference);
            }

            if (!result.Contains(group.Id))
            {
                result.Add(group.Id);
            }
        }

        return result;
    }
}
