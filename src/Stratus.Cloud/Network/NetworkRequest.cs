namespace Stratus.Cloud.Network;

/// <summary>
/// A boot's <c>networks</c>: explicit entries, <c>auto</c> (the project's one network, allocating it if needed),
/// or <c>none</c>. Omitted below microversion 2.37, which means <c>auto</c> with nova's 409 when ambiguous.
/// </summary>
internal sealed record NetworkRequest(NetworkRequestMode Mode, IReadOnlyList<RequestedNetwork> Networks)
{
    public static readonly NetworkRequest Auto = new(NetworkRequestMode.Auto, []);

    public static readonly NetworkRequest None = new(NetworkRequestMode.None, []);
}
