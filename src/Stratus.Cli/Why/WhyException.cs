namespace Stratus.Cli.Why;

/// <summary>stratus why cannot tell the story: no such server, or an ambiguous name.</summary>
internal sealed class WhyException(string message) : Exception(message);
