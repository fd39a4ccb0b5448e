namespace Stratus.Cli.Up;

/// <summary>One line of <c>stratus status</c>.</summary>
internal sealed record StatusRow(string Service, string Host, bool Up, string LastHeartbeat, string Version, string Detail);
