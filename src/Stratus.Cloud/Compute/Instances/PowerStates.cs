namespace Stratus.Cloud.Compute.Instances;

/// <summary>nova's OS-EXT-STS:power_state integers (nova/compute/power_state.py).</summary>
internal static class PowerStates
{
    public const int NoState = 0;
    public const int Running = 1;
    public const int Paused = 3;
    public const int Shutdown = 4;
    public const int Crashed = 6;
    public const int Suspended = 7;
}
