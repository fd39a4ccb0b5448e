using System.Text.Json.Nodes;
using Stratus.Cloud.Image.Data;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Image;

/// <summary>
/// Glance's image operations behind the HTTP handlers: policy, validation, the upload state machine
/// (queued → saving → active; a failed upload goes back to queued) and members. Every refusal is an
/// <see cref="ApiException"/> raised before anything is written.
/// </summary>
internal sealed partial class ImageService(ImageStore store, ImageDataStore data, TimeProvider time, ILogger<ImageService> logger)
{
    /// <summary>The image if the caller may see it; 404 (glance's wording) otherwise, also for ids that are not UUIDs.</summary>
    public async Task<ImageRecord> GetVisibleAsync(RequestContext caller, string rawId, CancellationToken cancellationToken)
    {
        var id = ImageRules.NormalizeId(rawId) ?? throw NotFound(rawId);
        var image = await store.FindAsync(id, cancellationToken) ?? throw NotFound(rawId);
        var membership = caller.IsAdmin || caller.ProjectId is null || image.Visibility != "shared" ? null : await store.FindMemberAsync(id, caller.ProjectId, cancellationToken);
        return ImageAccess.CanSee(image, caller, membership) ? image : throw NotFound(rawId);
    }

    /// <summary>One page of the images the caller may list, and the marker of the next page when the page is full.</summary>
    public async Task<(IReadOnlyList<ImageRecord> Page, string? NextMarker)> ListAsync(RequestContext caller, ImageListQuery query, CancellationToken cancellationToken)
    {
        var candidates = await store.ListCandidatesAsync(caller.IsAdmin ? null : caller.ProjectId ?? "", cancellationToken);
        var memberships = caller.IsAdmin || caller.ProjectId is null
            ? new Dictionary<string, ImageMember>()
            : await store.MembershipsOfAsync(caller.ProjectId, cancellationToken);
        ImageRecord? marker = null;
        if (query.Marker is not null)
        {
            marker = candidates.FirstOrDefault(i => i.Id == (ImageRules.NormalizeId(query.Marker) ?? query.Marker) && ImageAccess.CanSee(i, caller, memberships.GetValueOrDefault(i.Id)))
                ?? throw ApiException.BadRequest($"No image found with ID {query.Marker}");
        }

        var ordered = candidates
            .Where(i => ImageAccess.InListing(i, query.Visibility, query.MemberStatus, caller.ProjectId, caller.IsAdmin, memberships.GetValueOrDefault(i.Id)))
            .Where(query.Matches)
            .Where(i => marker is null || query.Compare(i, marker) > 0)
            .Order(Comparer<ImageRecord>.Create(query.Compare))
            .Take(query.Limit)
            .ToList();
        return (ordered, ordered.Count > 0 && ordered.Count == query.Limit ? ordered[^1].Id : null);
    }

    public async Task<ImageRecord> CreateAsync(RequestContext caller, JsonObject body, CancellationToken cancellationToken)
    {
        if (!caller.CanWrite)
        {
            throw ApiException.Forbidden("You are not authorized to complete add_image action.");
        }

        foreach (var key in ImageRules.Disallowed)
        {
            if (body.ContainsKey(key))
            {
                throw ApiException.Forbidden($"Attribute '{key}' is read-only.");
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var image = new ImageRecord
        {
            Id = Guid.NewGuid().ToString("D"),
            Status = ImageStatus.Queued,
            Visibility = "shared",
            Owner = caller.ProjectId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var properties = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in body)
        {
            if (key == "id")
            {
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                image = image with { Id = ImageRules.NormalizeId(text ?? "") ?? throw ImageRules.Invalid($"{value?.ToJsonString() ?? "None"} does not match the UUID pattern (property id)") };
            }
            else if (ImageRules.ReadOnly.Contains(key))
            {
                throw ApiException.Forbidden($"Attribute '{key}' is read-only.");
            }
            else if (ImageRules.Writable.Contains(key))
            {
                image = ImageRules.SetBase(image, key, value);
            }
            else if (ImageRules.IsReservedName(key))
            {
                throw ApiException.Forbidden($"Attribute '{key}' is reserved.");
            }
            else
            {
                properties[key] = ImageRules.ExtraValue(key, value);
            }
        }

        if (body.ContainsKey("owner") && !caller.IsAdmin && !string.Equals(image.Owner, caller.ProjectId, StringComparison.Ordinal))
        {
            throw ApiException.Forbidden($"You are not permitted to create images owned by '{image.Owner}'.");
        }

        if (image.Visibility == "public" && !caller.IsAdmin)
        {
            throw ApiException.Forbidden("You are not authorized to complete publicize_image action.");
        }

        image = image with { Properties = properties };
        await store.InsertAsync(image, cancellationToken);
        LogCreated(logger, image.Id, image.Name, image.Owner);
        return image;
    }

    public async Task<ImageRecord> UpdateAsync(RequestContext caller, string rawId, IReadOnlyList<ImagePatchOperation> changes, CancellationToken cancellationToken)
    {
        var current = await GetVisibleAsync(caller, rawId, cancellationToken);
        if (!ImageAccess.CanModify(current, caller))
        {
            throw ApiException.Forbidden("You are not authorized to complete modify_image action.");
        }

        if (changes.Count == 0)
        {
            return current;
        }

        var now = time.GetUtcNow().UtcDateTime;
        return await store.UpdateAsync(current.Id, image => Apply(image, changes, caller) with { UpdatedAt = now }, cancellationToken) ?? throw NotFound(rawId);
    }

    public async Task DeleteAsync(RequestContext caller, string rawId, CancellationToken cancellationToken)
    {
        var image = await GetVisibleAsync(caller, rawId, cancellationToken);
        if (!ImageAccess.CanModify(image, caller))
        {
            throw ApiException.Forbidden("You are not authorized to complete delete_image action.");
        }

        if (image.Protected)
        {
            throw ApiException.Forbidden($"Image {image.Id} is protected and cannot be deleted.");
        }

        // The row goes first: an upload still streaming finds it gone when it tries to finish, and cleans up.
        if (!await store.DeleteAsync(image.Id, cancellationToken))
        {
            throw NotFound(rawId);
        }

        data.Delete(image.Id);
        LogDeleted(logger, image.Id);
    }

    /// <summary>
    /// <c>PUT /v2/images/{id}/file</c>: claims the image (queued → saving; anything else is 409), streams the body to
    /// the store, and on success records size, hashes and virtual size and goes active. A failure or a cut-off
    /// upload puts the image back to queued and keeps no data.
    /// </summary>
    public async Task<ImageRecord> UploadAsync(RequestContext caller, string rawId, string? contentType, Stream body, CancellationToken cancellationToken)
    {
        var image = await GetVisibleAsync(caller, rawId, cancellationToken);
        if (!ImageAccess.CanModify(image, caller))
        {
            throw ApiException.Forbidden("You are not authorized to complete upload_image action.");
        }

        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        if (mediaType.Length > 0 && !mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, $"Invalid content type {mediaType}");
        }

        var id = image.Id;
        _ = await store.UpdateAsync(id, current =>
        {
            if (current.Status != ImageStatus.Queued)
            {
                throw ApiException.Conflict($"Image status transition from {current.Status} to {ImageStatus.Saving} is not allowed");
            }

            if (current.DiskFormat is null || current.ContainerFormat is null)
            {
                throw ApiException.BadRequest("Properties disk_format, container_format must be set prior to saving data.");
            }

            return current with { Status = ImageStatus.Saving, UpdatedAt = time.GetUtcNow().UtcDateTime };
        }, cancellationToken) ?? throw NotFound(rawId);

        ReceivedImageData received;
        try
        {
            received = await data.ReceiveAsync(id, body, cancellationToken);
        }
        catch (Exception e)
        {
            await RequeueAsync(id);
            LogUploadFailed(logger, id, e.GetType().Name, e.Message);
            throw;
        }

        try
        {
            data.Commit(received, id);
            var finished = await store.UpdateAsync(id, current => current.Status != ImageStatus.Saving
                ? throw Gone(id)
                : current with
                {
                    Status = ImageStatus.Active,
                    Size = received.Size,
                    Checksum = received.Md5,
                    OsHashAlgo = "sha512",
                    OsHashValue = received.Sha512,
                    VirtualSize = VirtualSizes.Of(current.DiskFormat, received.Header, received.Size),
                    UpdatedAt = time.GetUtcNow().UtcDateTime,
                }, CancellationToken.None) ?? throw Gone(id);
            LogUploaded(logger, id, received.Size, finished.VirtualSize);
            return finished;
        }
        catch (ApiException e) when (e.Status == 410)
        {
            data.Delete(id);
            throw;
        }
        catch
        {
            data.Delete(id);
            await RequeueAsync(id);
            throw;
        }
    }

    /// <summary>The image and a stream of its data (null when it has none yet: glance answers 204).</summary>
    public async Task<(ImageRecord Image, FileStream? Data)> OpenDataAsync(RequestContext caller, string rawId, CancellationToken cancellationToken)
    {
        var image = await GetVisibleAsync(caller, rawId, cancellationToken);
        if (image.Status == ImageStatus.Deactivated && !caller.IsAdmin)
        {
            throw ApiException.Forbidden("The requested image has been deactivated. Image data download is forbidden.");
        }

        if (image.Status is not (ImageStatus.Active or ImageStatus.Deactivated))
        {
            return (image, null);
        }

        return (image, data.OpenRead(image.Id) ?? throw ApiException.NotFound($"Image data for {image.Id} could not be found."));
    }

    public async Task AddTagAsync(RequestContext caller, string rawId, string tag, CancellationToken cancellationToken)
    {
        var image = await GetModifiableAsync(caller, rawId, cancellationToken);
        if (tag.Length > 255)
        {
            throw ApiException.BadRequest($"Tag '{tag[..20]}...' is too long: at most 255 characters.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await store.UpdateAsync(image.Id, current =>
        {
            if (current.Tags.Contains(tag))
            {
                return current;
            }

            return current.Tags.Count >= ImageRules.MaxTags
                ? throw new ApiException(413, $"Maximum tags per image is {ImageRules.MaxTags}.")
                : current with { Tags = [.. current.Tags, tag], UpdatedAt = now };
        }, cancellationToken);
    }

    public async Task RemoveTagAsync(RequestContext caller, string rawId, string tag, CancellationToken cancellationToken)
    {
        var image = await GetModifiableAsync(caller, rawId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await store.UpdateAsync(image.Id, current => current.Tags.Contains(tag)
            ? current with { Tags = current.Tags.Where(t => t != tag).ToList(), UpdatedAt = now }
            : throw ApiException.NotFound($"Tag {tag} not found on image {image.Id}."), cancellationToken);
    }

    /// <summary>deactivate: active → deactivated (a no-op when already deactivated); reactivate the reverse.</summary>
    public async Task SetActivationAsync(RequestContext caller, string rawId, bool activate, CancellationToken cancellationToken)
    {
        var image = await GetModifiableAsync(caller, rawId, cancellationToken);
        var (from, to, verb) = activate
            ? (ImageStatus.Deactivated, ImageStatus.Active, "reactivate")
            : (ImageStatus.Active, ImageStatus.Deactivated, "deactivate");
        var now = time.GetUtcNow().UtcDateTime;
        await store.UpdateAsync(image.Id, current =>
            current.Status == to ? current
            : current.Status == from ? current with { Status = to, UpdatedAt = now }
            : throw ApiException.BadRequest($"Not allowed to {verb} image in status '{current.Status}'"), cancellationToken);
    }

    public async Task<ImageMember> AddMemberAsync(RequestContext caller, string rawId, JsonObject body, CancellationToken cancellationToken)
    {
        var image = await GetMembersOwnerViewAsync(caller, rawId, cancellationToken);
        var memberId = body["member"] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw ApiException.BadRequest("Member to be added not specified");
        var now = time.GetUtcNow().UtcDateTime;
        var member = new ImageMember(image.Id, memberId, "pending", now, now);
        return await store.AddMemberAsync(member, cancellationToken)
            ? member
            : throw ApiException.Conflict($"The target member {memberId} is already associated with image {image.Id}.");
    }

    public async Task<IReadOnlyList<ImageMember>> ListMembersAsync(RequestContext caller, string rawId, CancellationToken cancellationToken)
    {
        var image = await GetVisibleAsync(caller, rawId, cancellationToken);
        if (image.Visibility != "shared")
        {
            throw ApiException.Forbidden("Only shared images have members.");
        }

        var members = await store.ListMembersAsync(image.Id, cancellationToken);
        return ImageAccess.CanModify(image, caller) || caller.IsAdmin ? members : members.Where(m => m.MemberId == caller.ProjectId).ToList();
    }

    public async Task<ImageMember> GetMemberAsync(RequestContext caller, string rawId, string memberId, CancellationToken cancellationToken)
    {
        var image = await GetVisibleAsync(caller, rawId, cancellationToken);
        var member = await store.FindMemberAsync(image.Id, memberId, cancellationToken);
        return member is not null && (ImageAccess.CanModify(image, caller) || caller.IsAdmin || memberId == caller.ProjectId)
            ? member
            : throw ApiException.NotFound($"Member {memberId} not found for image {image.Id}.");
    }

    public async Task<ImageMember> UpdateMemberAsync(RequestContext caller, string rawId, string memberId, JsonObject body, CancellationToken cancellationToken)
    {
        var member = await GetMemberAsync(caller, rawId, memberId, cancellationToken);
        if (!caller.IsAdmin && memberId != caller.ProjectId)
        {
            throw ApiException.Forbidden("You are not permitted to modify 'status' on this image member.");
        }

        var status = body["status"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        if (status is not ("pending" or "accepted" or "rejected"))
        {
            throw ApiException.BadRequest("Status must be one of pending, accepted, rejected.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await store.UpdateMemberAsync(member.ImageId, memberId, status, now, cancellationToken);
        return member with { Status = status, UpdatedAt = now };
    }

    public async Task DeleteMemberAsync(RequestContext caller, string rawId, string memberId, CancellationToken cancellationToken)
    {
        var image = await GetMembersOwnerViewAsync(caller, rawId, cancellationToken);
        if (!await store.DeleteMemberAsync(image.Id, memberId, cancellationToken))
        {
            throw ApiException.NotFound($"Member {memberId} not found for image {image.Id}.");
        }
    }

    /// <summary>
    /// At start no upload can be streaming: images left saving go back to queued and partial data is dropped.
    /// Call only before the API takes requests.
    /// </summary>
    public async Task RecoverInterruptedUploadsAsync(CancellationToken cancellationToken)
    {
        data.DeleteAllParts();
        foreach (var image in await store.ListByStatusAsync(ImageStatus.Saving, cancellationToken))
        {
            await RequeueAsync(image.Id);
            LogRequeued(logger, image.Id);
        }
    }

    private static ImageRecord Apply(ImageRecord image, IReadOnlyList<ImagePatchOperation> changes, RequestContext caller)
    {
        var properties = new Dictionary<string, string?>(image.Properties, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var key = change.Path;
            if (ImageRules.Writable.Contains(key))
            {
                if (change.Op == "remove")
                {
                    throw ApiException.Forbidden($"Property {key} may not be removed.");
                }

                if (key == "owner" && !caller.IsAdmin)
                {
                    throw ApiException.Forbidden("Owner can't be updated by non admin.");
                }

                if (key is "disk_format" or "container_format" && image.Status != ImageStatus.Queued)
                {
                    throw ApiException.Forbidden($"Attribute {key} can be only replaced for a queued image.");
                }

                image = ImageRules.SetBase(image, key, change.Value);
                if (key == "visibility" && image.Visibility == "public" && !caller.IsAdmin)
                {
                    throw ApiException.Forbidden("You are not authorized to complete publicize_image action.");
                }

                continue;
            }

            switch (change.Op)
            {
                case "remove":
                    if (!properties.Remove(key))
                    {
                        throw ApiException.Conflict($"Property {key} does not exist.");
                    }

                    break;
                case "replace" when !properties.ContainsKey(key):
                    throw ApiException.Conflict($"Property {key} does not exist.");
                default:
                    properties[key] = ImageRules.ExtraValue(key, change.Value);
                    break;
            }
        }

        return image with { Properties = properties };
    }

    private async Task<ImageRecord> GetModifiableAsync(RequestContext caller, string rawId, CancellationToken cancellationToken)
    {
        var image = await GetVisibleAsync(caller, rawId, cancellationToken);
        return ImageAccess.CanModify(image, caller) ? image : throw ApiException.Forbidden("You are not authorized to complete modify_image action.");
    }

    private async Task<ImageRecord> GetMembersOwnerViewAsync(RequestContext caller, string rawId, CancellationToken cancellationToken)
    {
        var image = await GetVisibleAsync(caller, rawId, cancellationToken);
        if (!ImageAccess.CanModify(image, caller))
        {
            throw ApiException.Forbidden($"You are not permitted to change the members of image {image.Id}.");
        }

        return image.Visibility == "shared" ? image : throw ApiException.Forbidden("Only shared images have members.");
    }

    private Task RequeueAsync(string id) =>
        store.UpdateAsync(id, current => current.Status == ImageStatus.Saving ? current with { Status = ImageStatus.Queued, UpdatedAt = time.GetUtcNow().UtcDateTime } : current, CancellationToken.None);

    private static ApiException NotFound(string id) => ApiException.NotFound($"No image found with ID {id}");

    private static ApiException Gone(string id) =>
        new(410, $"Image {id} could not be found after upload. The image may have been deleted during the upload.");

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Image {ImageId} ({Name}) created for project {Owner}")]
    private static partial void LogCreated(ILogger logger, string imageId, string? name, string? owner);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Information, Message = "Image {ImageId} active: {Size} bytes, virtual size {VirtualSize}")]
    private static partial void LogUploaded(ILogger logger, string imageId, long size, long? virtualSize);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "Upload of image {ImageId} failed ({Error}: {Message}); the image is queued again")]
    private static partial void LogUploadFailed(ILogger logger, string imageId, string error, string message);

    [LoggerMessage(EventId = 3404, Level = LogLevel.Information, Message = "Image {ImageId} deleted")]
    private static partial void LogDeleted(ILogger logger, string imageId);

    [LoggerMessage(EventId = 3405, Level = LogLevel.Warning, Message = "Image {ImageId} was saving when the controller stopped; it is queued again")]
    private static partial void LogRequeued(ILogger logger, string imageId);
}
