namespace Stratus.Cloud.Image;

/// <summary>
/// Glance image statuses (glance/domain Image.valid_state_targets). An upload moves queued → saving → active; a
/// failed upload returns saving → queued so it can be retried (v2 no longer leaves images killed).
/// </summary>
internal static class ImageStatus
{
    public const string Queued = "queued";
    public const string Saving = "saving";
    public const string Active = "active";
    public const string Killed = "killed";
    public const string Deleted = "deleted";
    public const string PendingDelete = "pending_delete";
    public const string Deactivated = "deactivated";
    public const string Uploading = "uploading";
    public const string Importing = "importing";

    public static readonly IReadOnlyList<string> All = [Queued, Saving, Active, Killed, Deleted, Uploading, Importing, PendingDelete, Deactivated];
}
