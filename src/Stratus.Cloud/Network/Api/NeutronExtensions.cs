using System.Text.Json.Nodes;

namespace Stratus.Cloud.Network.Api;

/// <summary>
/// The API extensions this Neutron serves (<c>GET /v2.0/extensions</c>); clients and Tempest probe these aliases to
/// decide what to call, so only what is implemented is listed.
/// </summary>
internal static class NeutronExtensions
{
    private static readonly (string Alias, string Name, string Description)[] All =
    [
        ("router", "Neutron L3 Router", "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway."),
        ("ext-gw-mode", "Neutron L3 Configurable external gateway mode", "Extension of the router abstraction for specifying whether SNAT should occur on the external gateway"),
        ("external-net", "Neutron external network", "Adds external network attribute to network resource."),
        ("security-group", "security-group", "The security groups extension."),
        ("stateful-security-group", "Stateful security group", "Indicates if the security group is stateful or not"),
        ("binding", "Port Binding", "Expose port bindings of a virtual port to external application"),
        ("provider", "Provider Network", "Expose mapping of virtual networks to physical networks"),
        ("port-security", "Port Security", "Provides port security"),
        ("allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"),
        ("net-mtu", "Network MTU", "Provides MTU attribute for a network resource."),
        ("availability_zone", "Availability Zone", "The availability zone extension."),
        ("network_availability_zone", "Network Availability Zone", "Availability zone support for network."),
        ("standard-attr-description", "standard-attr-description", "Extension to add descriptions to standard attributes"),
        ("standard-attr-timestamp", "Resource timestamps", "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes."),
        ("standard-attr-revisions", "Resource revision numbers", "This extension will display the revision number of neutron resources."),
        ("project-id", "project_id field enabled", "Extension that indicates that project_id field is enabled."),
        ("fip-port-details", "Floating IP Port Details Extension", "Add port_details attribute to Floating IP resource"),
        ("quotas", "Quota management support", "Expose functions for quotas management per project"),
        ("quota_details", "Quota details management support", "Expose functions for quotas usage statistics per project"),
        ("pagination", "Pagination support", "Extension that indicates that pagination is enabled."),
        ("sorting", "Sorting support", "Extension that indicates that sorting is enabled."),
        ("filter-validation", "Filter parameters validation", "Provides validation on filter parameters."),
    ];

    public static JsonObject List() => new()
    {
        ["extensions"] = new JsonArray(All.Select(e => (JsonNode?)Render(e)).ToArray()),
    };

    public static JsonObject? Find(string alias) =>
        All.Where(e => e.Alias == alias).Select(Render).FirstOrDefault();

    private static JsonObject Render((string Alias, string Name, string Description) extension) => new()
    {
        ["alias"] = extension.Alias,
        ["name"] = extension.Name,
        ["description"] = extension.Description,
        ["updated"] = "2013-01-01T10:00:00-00:00",
        ["links"] = new JsonArray(),
    };
}
