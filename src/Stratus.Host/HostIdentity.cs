namespace Stratus.Host;

/// <summary>The refs of the objects that stand for this host agent itself, fixed at start-up by the bootstrap.</summary>
internal sealed class HostIdentity
{
    public string PoolRef { get; set; } = Stratus.XenApi.XenRef.Null;

    public string HostRef { get; set; } = Stratus.XenApi.XenRef.Null;

    public string HostUuid { get; set; } = "";

    /// <summary>The control domain VM (xapi's dom0; here the host OS the agent runs on).</summary>
    public string ControlDomainRef { get; set; } = Stratus.XenApi.XenRef.Null;

    /// <summary>The agent's own base URL once it listens (http://address:port), for console locations; empty before.</summary>
    public string BaseUrl { get; set; } = "";
}
