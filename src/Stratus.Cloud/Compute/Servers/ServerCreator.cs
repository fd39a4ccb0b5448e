using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Flavors;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Keypairs;
using Stratus.Cloud.Compute.Quotas;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Conductor;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// POST /servers after validation (nova compute API create): every look-up and check happens before anything is
/// stored (flavor, image, key pair, zone, metadata and instance quotas, the network request through the network
/// service), so a refused request leaves nothing behind. Then each server is stored building/scheduling with its
/// "create" action and handed to the conductor.
/// </summary>
internal sealed partial class ServerCreator(
    IInstanceStore instances,
    IFlavorStore flavors,
    IImageCatalog images,
    IKeypairStore keypairs,
    IQuotaStore quotas,
    IServiceStore services,
    INetworkAllocator network,
    IConductor conductor,
    TimeProvider time,
    ILogger<ServerCreator> logger)
{
    private const long Gi = 1L << 30;

    public sealed record Result(Instance First, IReadOnlyList<Instance> All, string AdminPass, string ReservationId);

    public async Task<Result> CreateAsync(RequestContext caller, Microversion version, ServerCreateRequest request, CancellationToken cancellationToken)
    {
        var projectId = ComputePolicy.RequireMember(caller, "os_compute_api:servers:create");
        var zone = await ZoneAsync(caller, request.AvailabilityZone, cancellationToken);
        var flavor = await flavors.FindAsync(request.FlavorRef, cancellationToken);
        if (flavor is null || (!flavor.IsPublic && !caller.IsAdmin) || flavor.Disabled)
        {
            throw ApiException.BadRequest($"Flavor '{request.FlavorRef}' could not be found.", "FlavorNotFound");
        }

        var image = await images.FindAsync(request.ImageRef, caller.IsAdmin ? null : projectId, cancellationToken)
            ?? throw ApiException.BadRequest("Can not find requested image", "ImageNotFound");
        CheckImage(image, flavor, caller);

        string? keyData = null;
        if (request.KeyName is { } keyName)
        {
            keyData = (await keypairs.FindAsync(caller.UserId, keyName, cancellationToken) ?? throw ApiException.BadRequest("Invalid key_name provided.", "KeypairNotFound")).PublicKey;
        }

        var limits = await quotas.LimitsAsync(projectId, cancellationToken);
        var metadataLimit = limits[QuotaResources.MetadataItems];
        if (metadataLimit >= 0 && request.Metadata.Count > metadataLimit)
        {
            throw ApiException.Forbidden($"Maximum number of metadata items exceeds {metadataLimit}", "MetadataLimitExceeded");
        }

        if (request.MaxCount > 1 && request.Networks.Networks.Any(n => n.FixedIp is not null))
        {
            throw ApiException.BadRequest("Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.");
        }

        if (request.MaxCount > 1 && request.Networks.Networks.Any(n => n.PortId is not null))
        {
            throw ApiException.BadRequest("Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.");
        }

        // Unknown networks or ports (400) and an ambiguous choice (409) are refused here, before anything exists.
        await network.ValidateAsync(projectId, request.Networks, cancellationToken);
        var count = CheckInstanceQuota(await instances.UsageAsync(projectId, cancellationToken), limits, flavor, request.MinCount, request.MaxCount);

        var adminPass = request.AdminPass ?? GeneratePassword();
        var reservationId = ReservationId();
        var requestId = caller.RequestId;
        var created = new List<Instance>(count);
        for (var index = 0; index < count; index++)
        {
            var name = count > 1 ? $"{request.Name}-{index + 1}" : request.Name;
            var now = time.GetUtcNow().UtcDateTime;
            var instance = new Instance
            {
                Id = Guid.NewGuid(),
                Name = name,
                ProjectId = projectId,
                UserId = caller.UserId,
                ImageId = image.Id,
                Flavor = flavor.Snapshot(),
                VmState = VmStates.Building,
                TaskState = TaskStates.Scheduling,
                PowerState = PowerStates.NoState,
                AvailabilityZone = zone ?? "",
                RequestedAvailabilityZone = zone,
                KeyName = request.KeyName,
                KeyData = keyData,
                UserData = request.UserData,
                Metadata = request.Metadata,
                ConfigDrive = request.ConfigDrive,
                AccessIpv4 = request.AccessIpv4,
                AccessIpv6 = request.AccessIpv6,
                DiskConfig = request.DiskConfig,
                ReservationId = reservationId,
                LaunchIndex = index,
                Hostname = Hostname(name),
                Description = request.Description is { } d && count > 1 && d == request.Name ? name : request.Description,
                Tags = request.Tags,
                SecurityGroups = request.SecurityGroups is { Count: > 0 } groups ? groups : ["default"],
                Networks = request.Networks,
                KernelId = image.Properties.GetValueOrDefault("kernel_id") ?? "",
                RamdiskId = image.Properties.GetValueOrDefault("ramdisk_id") ?? "",
                RootDeviceName = "/dev/xvda",
                CreatedAt = now,
            };
            var action = new InstanceAction(instance.Id, "create", requestId, caller.UserId, projectId, now, null, null, []);
            created.Add(await instances.CreateAsync(instance, action, cancellationToken));
        }

        foreach (var instance in created)
        {
            await HandToConductorAsync(instance, requestId, cancellationToken);
        }

        return new Result(created[0], created, adminPass, reservationId);
    }

    /// <summary>A build the conductor could not even accept ends in ERROR with a fault, never as a half-created server.</summary>
    private async Task HandToConductorAsync(Instance instance, string requestId, CancellationToken cancellationToken)
    {
        try
        {
            await conductor.BuildAsync(instance.Id, requestId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBuildNotQueued(logger, instance.Id, requestId, e);
            var now = time.GetUtcNow().UtcDateTime;
            await instances.UpdateAsync(instance.Id, i => i with { VmState = VmStates.Error, TaskState = null }, CancellationToken.None);
            await instances.AddFaultAsync(instance.Id, new InstanceFault(500, "Build of instance could not be started.", e.Message, now, null), CancellationToken.None);
            await instances.FinishActionAsync(instance.Id, requestId, now, "Error", CancellationToken.None);
        }
    }

    private async Task<string?> ZoneAsync(RequestContext caller, string? requested, CancellationToken cancellationToken)
    {
        if (requested is null)
        {
            return null;
        }

        var parts = requested.Split(':');
        if (parts.Length > 1)
        {
            // zone:host[:node] forces a host (nova create:forced_host, admin only); the scheduler has no forced hosts.
            ComputePolicy.RequireAdmin(caller, "os_compute_api:servers:create:forced_host");
            throw ApiException.BadRequest("Forcing a host with availability_zone 'zone:host' is not supported by this cloud.");
        }

        var zones = (await services.ListAsync(cancellationToken)).Where(s => s.IsCompute).Select(s => s.Zone).ToHashSet(StringComparer.Ordinal);
        // "nova" is the default zone every compute host is in until aggregates say otherwise.
        return zones.Contains(requested) || requested == "nova"
            ? requested
            : throw ApiException.BadRequest("The requested availability zone is not available");
    }

    private static void CheckImage(ImageInfo image, Flavor flavor, RequestContext caller)
    {
        if (!string.Equals(image.Status, "active", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest($"Image {image.Id} is not active.", "ImageNotActive");
        }

        if (flavor.MemoryMb < image.MinRamMb)
        {
            throw ApiException.BadRequest("Flavor's memory is too small for requested image.", "FlavorMemoryTooSmall");
        }

        if (flavor.RootGb == 0)
        {
            // nova policy os_compute_api:servers:create:zero_disk_flavor is admin only: a zero-disk flavor boots an image
            // onto a disk sized by the image, which only an admin may ask for.
            if (!caller.IsAdmin)
            {
                throw ApiException.Forbidden("Only volume-backed servers are allowed for flavors with zero disk.", "BootFromVolumeRequiredForZeroDiskFlavor");
            }

            return;
        }

        var destination = flavor.RootGb * Gi;
        var imageSize = Math.Max(image.Size ?? 0, image.VirtualSize ?? 0);
        if (imageSize > destination)
        {
            throw ApiException.BadRequest($"Flavor's disk is too small for requested image. Flavor disk is {destination} bytes, image is {imageSize} bytes.", "FlavorDiskSmallerThanImage");
        }

        if (image.MinDiskGb * Gi > destination)
        {
            throw ApiException.BadRequest(
                $"Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is {destination} bytes, minimum size is {image.MinDiskGb * Gi} bytes.",
                "FlavorDiskSmallerThanMinDisk");
        }
    }

    /// <summary>
    /// nova _check_num_instances_quota: as many servers as fit between min_count and max_count, else 403
    /// "Quota exceeded for cores, ram: Requested 4, 4096, but already used 18, 50000 of 20, 51200 cores, ram".
    /// </summary>
    public static int CheckInstanceQuota(ProjectUsage usage, IReadOnlyDictionary<string, long> limits, Flavor flavor, int minCount, int maxCount)
    {
        var used = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [QuotaResources.Cores] = usage.Cores,
            [QuotaResources.Instances] = usage.Instances,
            [QuotaResources.Ram] = usage.RamMb,
        };
        var perInstance = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [QuotaResources.Cores] = flavor.Vcpus,
            [QuotaResources.Instances] = 1,
            [QuotaResources.Ram] = flavor.MemoryMb,
        };
        var allowed = (long)maxCount;
        foreach (var (resource, each) in perInstance)
        {
            var limit = limits[resource];
            if (limit >= 0 && each > 0)
            {
                allowed = Math.Min(allowed, Math.Max(0, (limit - used[resource]) / each));
            }
        }

        if (allowed >= minCount)
        {
            return (int)allowed;
        }

        var overs = perInstance.Keys.Where(r => limits[r] >= 0 && used[r] + (perInstance[r] * maxCount) > limits[r]).OrderBy(r => r, StringComparer.Ordinal).ToList();
        if (overs.Count == 0)
        {
            overs.Add(QuotaResources.Instances);
        }

        var text = new StringBuilder("Quota exceeded for ").Append(string.Join(", ", overs)).Append(": Requested ")
            .Append(string.Join(", ", overs.Select(r => (perInstance[r] * maxCount).ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Append(", but already used ").Append(string.Join(", ", overs.Select(r => used[r].ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Append(" of ").Append(string.Join(", ", overs.Select(r => limits[r].ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Append(' ').Append(string.Join(", ", overs));
        throw ApiException.Forbidden(text.ToString(), "TooManyInstances");
    }

    /// <summary>nova utils.sanitize_hostname: lower case, spaces and underscores to dashes, only [a-z0-9.-], at most 63.</summary>
    public static string Hostname(string displayName)
    {
        var hostname = displayName.Replace(' ', '-').Replace('_', '-');
        hostname = HostnameInvalid().Replace(hostname, "").ToLowerInvariant().Trim('.', '-');
        if (hostname.Length > 63)
        {
            hostname = hostname[..63].TrimEnd('.', '-');
        }

        return hostname.Length > 0 ? hostname : "server";
    }

    /// <summary>nova utils.generate_uid("r"): r- and eight characters.</summary>
    public static string ReservationId() => "r-" + RandomFrom("0123456789abcdefghijklmnopqrstuvwxyz", 8);

    /// <summary>nova utils.generate_password: 12 characters without look-alikes.</summary>
    public static string GeneratePassword() => RandomFrom("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 12);

    private static string RandomFrom(string alphabet, int length) =>
        string.Create(length, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });

    [GeneratedRegex(@"[^\w.\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex HostnameInvalid();

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Server {InstanceId} ({RequestId}) could not be handed to the conductor; it is now in ERROR")]
    private static partial void LogBuildNotQueued(ILogger logger, Guid instanceId, string requestId, Exception exception);
}
