using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Image;

/// <summary>
/// Who may see and change an image (glance's image visibility and default policies): public and community
/// images are visible to everyone, private ones to their owner, shared ones to their owner and member projects;
/// admin sees and changes everything; only the owner's members (not readers) change an image.
/// </summary>
internal static class ImageAccess
{
    public static bool CanSee(ImageRecord image, string? projectId, bool isAdmin, ImageMember? membership) =>
        isAdmin
        || image.Visibility is "public" or "community"
        || (projectId is not null && string.Equals(image.Owner, projectId, StringComparison.Ordinal))
        || (image.Visibility == "shared" && membership is not null);

    public static bool CanSee(ImageRecord image, RequestContext caller, ImageMember? membership) =>
        CanSee(image, caller.ProjectId, caller.IsAdmin, membership);

    public static bool IsOwner(ImageRecord image, RequestContext caller) =>
        caller.ProjectId is not null && string.Equals(image.Owner, caller.ProjectId, StringComparison.Ordinal);

    public static bool CanModify(ImageRecord image, RequestContext caller) => caller.IsAdmin || (IsOwner(image, caller) && caller.CanWrite);

    /// <summary>
    /// Whether an image is in a listing with the given <c>visibility</c> filter (null: the default listing, which for
    /// a non-admin is public, own and accepted-shared images, without community ones; for admin everything).
    /// </summary>
    public static bool InListing(ImageRecord image, string? visibility, string memberStatus, string? projectId, bool isAdmin, ImageMember? membership)
    {
        var owned = projectId is not null && string.Equals(image.Owner, projectId, StringComparison.Ordinal);
        var sharedWithCaller = image.Visibility == "shared" && membership is not null && (memberStatus == "all" || membership.Status == memberStatus);
        return visibility switch
        {
            null => isAdmin || image.Visibility == "public" || owned || sharedWithCaller,
            "all" => isAdmin || image.Visibility is "public" or "community" || owned || sharedWithCaller,
            "public" or "community" => image.Visibility == visibility,
            "private" => image.Visibility == "private" && (isAdmin || owned),
            "shared" => image.Visibility == "shared" && (isAdmin || owned || sharedWithCaller),
            _ => false,
        };
    }
}
