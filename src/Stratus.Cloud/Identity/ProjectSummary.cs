namespace Stratus.Cloud.Identity;

internal sealed record ProjectSummary(string Id, string Name, bool Enabled);
