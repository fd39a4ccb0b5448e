namespace Stratus.Cloud.OpenStack;

/// <summary>
/// DevStack's path layout on one listener. The image and network catalog URLs are unversioned because novaclient
/// appends /v2/images and /v2.0/networks itself; compute's is versioned (contract §1.1).
/// </summary>
internal sealed class ServiceUrls(CloudOptions options)
{
    public const string IdentityPrefix = "/identity";
    public const string ComputePrefix = "/compute";
    public const string ImagePrefix = "/image";
    public const string NetworkPrefix = "/networking";

    public string Base => options.BaseUrl;

    public string Identity => Base + IdentityPrefix;

    public string IdentityV3 => Identity + "/v3";

    /// <summary>The compute endpoint in the catalog: <c>…/compute/v2.1</c>.</summary>
    public string Compute => Base + ComputePrefix + "/v2.1";

    /// <summary>Where nova's bookmark links point: the compute URL without its version.</summary>
    public string ComputeBookmark => Base + ComputePrefix;

    public string Image => Base + ImagePrefix;

    public string Network => Base + NetworkPrefix;
}
