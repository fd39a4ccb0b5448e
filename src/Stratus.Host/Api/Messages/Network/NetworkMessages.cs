using System.Globalization;
using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Network;

/// <summary>
/// network.create/destroy. A network names its Linux bridge (network.bridge); one left empty gets a fresh
/// <c>xapiN</c> name, as xapi does. The qemu backend turns the bridge into a real one when it may.
/// </summary>
internal sealed class NetworkMessages(ObjectDatabase db) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("network.create", (_, a) => db.Write(tx =>
        {
            var record = new Dictionary<string, object?>(a.Map(0), StringComparer.Ordinal);
            var bridges = tx.All(XenModel.Network).Select(n => n.String("bridge")).ToHashSet(StringComparer.Ordinal);
            var bridge = record.GetValueOrDefault("bridge") as string;
            if (string.IsNullOrEmpty(bridge))
            {
                var n = 0;
                while (bridges.Contains($"xapi{n}"))
                {
                    n++;
                }

                bridge = string.Create(CultureInfo.InvariantCulture, $"xapi{n}");
            }
            else if (bridges.Contains(bridge))
            {
                throw new XenApiFailure(XenErrors.InvalidValue, "bridge", bridge);
            }

            record["bridge"] = bridge;
            if (record.GetValueOrDefault("MTU") is not long mtu || mtu <= 0)
            {
                record["MTU"] = 1500L;
            }

            return tx.Create(XenModel.Network, record);
        }));
        table.Message("network.destroy", (_, a) =>
        {
            db.Write(tx =>
            {
                var network = tx.Get(XenModel.Network, a.Ref(0));
                if (network.Set("VIFs").Count > 0)
                {
                    throw new XenApiFailure(XenErrors.NetworkContainsVif, network.Set("VIFs").Select(XenValue.ToDbString).ToArray());
                }

                if (network.Set("PIFs").Count > 0)
                {
                    throw new XenApiFailure(XenErrors.NetworkContainsPif, network.Set("PIFs").Select(XenValue.ToDbString).ToArray());
                }

                tx.Delete(XenModel.Network, network.Ref);
            });
            return null;
        });
    }
}
