namespace Stratus.Cloud.Conductor.Work;

/// <summary>What a work item does to its server.</summary>
internal enum WorkKind
{
    Build,
    Start,
    Stop,
    Reboot,
    Delete,

    /// <summary>Removes what a server left on a host that could not be reached at the time (after a delete or a failed attempt).</summary>
    Cleanup,
}
