namespace Stratus.Testing;

/// <summary>Starts a real host agent (<c>stratus host serve</c>) on a free port in its own data directory.</summary>
public static class HostAgentProcess
{
    public const string ReadyPrefix = "stratus host agent ready: ";

    public const string Password = "xenroot";

    public static Task<StratusProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken, string backend = "sim", params string[] extra) =>
        StratusProcess.StartAsync(
            ["host", "serve", "--listen", "127.0.0.1:0", "--data", dataDirectory, "--backend", backend, "--password", Password, .. extra],
            ReadyPrefix,
            cancellationToken);
}
