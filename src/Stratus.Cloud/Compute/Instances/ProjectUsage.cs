namespace Stratus.Cloud.Compute.Instances;

internal sealed record ProjectUsage(int Instances, int Cores, long RamMb);
