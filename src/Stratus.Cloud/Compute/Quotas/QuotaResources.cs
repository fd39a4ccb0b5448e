using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Quotas;

/// <summary>
/// nova's quota resources and their defaults (nova/conf/quota.py; the network ones are -1 with Neutron). The API hides
/// the proxy resources from 2.36 (fixed_ips, floating_ips, security_groups, security_group_rules) and the personality
/// ones from 2.57 (injected_*).
/// </summary>
internal static class QuotaResources
{
    public const string Instances = "instances";
    public const string Cores = "cores";
    public const string Ram = "ram";
    public const string MetadataItems = "metadata_items";
    public const string KeyPairs = "key_pairs";

    public static readonly IReadOnlyDictionary<string, long> Defaults = new SortedDictionary<string, long>(StringComparer.Ordinal)
    {
        ["cores"] = 20,
        ["fixed_ips"] = -1,
        ["floating_ips"] = -1,
        ["injected_file_content_bytes"] = 10240,
        ["injected_file_path_bytes"] = 255,
        ["injected_files"] = 5,
        ["instances"] = 10,
        ["key_pairs"] = 100,
        ["metadata_items"] = 128,
        ["ram"] = 51200,
        ["security_group_rules"] = -1,
        ["security_groups"] = -1,
        ["server_group_members"] = 10,
        ["server_groups"] = 10,
    };

    private static readonly string[] ProxyResources = ["fixed_ips", "floating_ips", "security_group_rules", "security_groups"];

    private static readonly string[] PersonalityResources = ["injected_file_content_bytes", "injected_file_path_bytes", "injected_files"];

    /// <summary>The resources shown (and accepted on update) at <paramref name="version"/>, in name order.</summary>
    public static IReadOnlyList<string> Visible(Microversion version) => Defaults.Keys
        .Where(r => !(version.AtLeast(2, 36) && ProxyResources.Contains(r)))
        .Where(r => !(version.AtLeast(2, 57) && PersonalityResources.Contains(r)))
        .ToList();
}
