using System.Text.Json.Serialization;

namespace Stratus.Cloud.Network.Model;

/// <summary>Source-generated JSON for the stored network documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(NetworkRecord))]
[JsonSerializable(typeof(SubnetRecord))]
[JsonSerializable(typeof(PortRecord))]
[JsonSerializable(typeof(FloatingIpRecord))]
[JsonSerializable(typeof(SecurityGroupRecord))]
[JsonSerializable(typeof(SecurityGroupRuleRecord))]
[JsonSerializable(typeof(RouterRecord))]
internal sealed partial class NeutronJson : JsonSerializerContext;
