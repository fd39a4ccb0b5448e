using Stratus.Host.Database;
using Stratus.Host.Storage;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Storage;

/// <summary>Resolves an SR's driver and the context it needs (this host's PBD device_config), with xapi's errors.</summary>
internal sealed class SrContexts(ISrDrivers drivers, HostIdentity host, HostAgentOptions options)
{
    public string DataDirectory => options.DataDirectory;

    public ISrDriver Driver(string type) =>
        drivers.Find(type) ?? throw new XenApiFailure(XenErrors.SrUnknownDriver, type);

    /// <summary>This host's PBD for the SR, or null.</summary>
    public Row? Pbd(DbTransaction tx, Row sr) =>
        sr.Set("PBDs").Select(p => tx.Find(XenModel.PBD, (string)p!)).FirstOrDefault(p => p is not null && p.String("host") == host.HostRef);

    /// <summary>The context for an SR whose PBD must be plugged (SR_NO_PBDS otherwise), as xapi's Sm.assert_pbd_is_plugged.</summary>
    public SrContext Plugged(DbTransaction tx, Row sr)
    {
        var pbd = Pbd(tx, sr);
        if (pbd is null || !pbd.Bool("currently_attached"))
        {
            throw new XenApiFailure(XenErrors.SrNoPbds, sr.Ref);
        }

        return For(sr, pbd.Map("device_config"));
    }

    public SrContext For(Row sr, IReadOnlyDictionary<string, object?> deviceConfig, long requestedSize = 0) =>
        new(sr.Uuid, sr.String("type"), Strings(deviceConfig), Strings(sr.Map("sm_config")), options.DataDirectory, requestedSize);

    public static IReadOnlyDictionary<string, string> Strings(IReadOnlyDictionary<string, object?> map) =>
        map.ToDictionary(p => p.Key, p => XenValue.ToDbString(p.Value), StringComparer.Ordinal);
}
