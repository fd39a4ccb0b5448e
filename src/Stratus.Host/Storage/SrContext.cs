namespace Stratus.Host.Storage;

/// <summary>
/// One SR as a driver sees it: its uuid, type, the PBD's device_config and sm_config, and the agent's data directory
/// (where local SRs live unless device_config says otherwise).
/// </summary>
internal sealed record SrContext(
    string Uuid,
    string Type,
    IReadOnlyDictionary<string, string> DeviceConfig,
    IReadOnlyDictionary<string, string> SmConfig,
    string DataDirectory,
    long RequestedSize);
