namespace Stratus.Host.Images;

/// <summary>One loadable module: its name (dashes as underscores) and its path relative to the module tree.</summary>
internal sealed record KernelModule(string Name, string RelativePath);
