namespace Stratus.Cli.Up;

/// <summary>What a running <c>stratus up</c> publishes for status, restart, logs and down: its pid and its services.</summary>
internal sealed record RunState
{
    public int SupervisorPid { get; init; }

    public DateTime Started { get; init; }

    public string ControllerUrl { get; init; } = "";

    public string Backend { get; init; } = "";

    /// <summary>True once every service answered and the bootstrap finished.</summary>
    public bool Ready { get; init; }

    public Dictionary<string, ServiceState> Services { get; init; } = [];
}
