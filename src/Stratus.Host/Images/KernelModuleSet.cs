namespace Stratus.Host.Images;

/// <summary>
/// The modules to load, dependencies before the modules that need them; the wanted names the kernel has built in;
/// and those it has neither way (this kernel was configured without them).
/// </summary>
internal sealed record KernelModuleSet(IReadOnlyList<KernelModule> LoadOrder, IReadOnlyList<string> BuiltIn, IReadOnlyList<string> Missing);
