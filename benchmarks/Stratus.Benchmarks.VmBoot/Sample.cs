namespace Stratus.Benchmarks.VmBoot;

/// <summary>One boot: launch to banner, and QEMU's CPU time and run-queue wait up to the banner.</summary>
internal sealed record Sample(double Ms, double CpuMs, double WaitMs);
