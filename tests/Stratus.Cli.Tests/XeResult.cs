namespace Stratus.Cli.Tests;

/// <summary>What one xe run printed and returned.</summary>
internal sealed record XeResult(int ExitCode, string Stdout, string Stderr, int Connections = 0);
