namespace Stratus.Cloud.Conductor.Placement;

/// <summary>A compute service's administrative state, as os-services sets it.</summary>
internal sealed record HostFlags(string Zone, bool Disabled, string? DisabledReason, bool ForcedDown, DateTime CreatedAt);
