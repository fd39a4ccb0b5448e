namespace Stratus.Cli.Xe;

/// <summary>One datamodel error: its parameter names and the sentence xe prints for it.</summary>
internal sealed record XeErrorDoc(IReadOnlyList<string> Parameters, string Doc);
