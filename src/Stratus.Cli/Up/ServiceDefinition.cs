namespace Stratus.Cli.Up;

/// <summary>A process <c>stratus up</c> supervises: a stratus sub-command and the ready line it prints.</summary>
internal sealed record ServiceDefinition(string Name, IReadOnlyList<string> Arguments, string ReadyPrefix);
