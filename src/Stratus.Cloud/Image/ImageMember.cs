namespace Stratus.Cloud.Image;

/// <summary>A project an image is shared with (<c>/v2/images/{id}/members</c>); status pending, accepted or rejected.</summary>
internal sealed record ImageMember(string ImageId, string MemberId, string Status, DateTime CreatedAt, DateTime UpdatedAt);
