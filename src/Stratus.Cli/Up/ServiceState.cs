namespace Stratus.Cli.Up;

/// <summary>One supervised process: its pid and URL, when it (re)started, how often.</summary>
internal sealed record ServiceState(int Pid, string Url, DateTime Started, int Restarts, string Version);
