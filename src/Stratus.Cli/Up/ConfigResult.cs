namespace Stratus.Cli.Up;

/// <summary>The settings a config file produced, what it said that Stratus does not use, and what was wrong.</summary>
internal sealed record ConfigResult(UpSettings Settings, IReadOnlyList<string> Notes, IReadOnlyList<string> Errors);
