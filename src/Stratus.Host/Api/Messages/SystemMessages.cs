using Stratus.Host.Api.Dispatch;

namespace Stratus.Host.Api.Messages;

/// <summary>
/// <c>system.listMethods</c> (no session): every callable name, <c>Async.</c> variants included. The npm xen-api
/// client derives its list of classes from the names ending in <c>.get_all_records</c>.
/// </summary>
internal sealed class SystemMessages : IMessageArea
{
    public const string ListMethods = "system.listMethods";

    public void Register(MethodTable table) =>
        table.Add(new XenMethod(ListMethods, [], 0, TakesSession: false, SupportsAsync: false, (_, _) =>
        {
            var names = new List<string> { ListMethods };
            foreach (var method in table.All.Where(m => m.Name != ListMethods))
            {
                names.Add(method.Name);
                if (method.SupportsAsync)
                {
                    names.Add("Async." + method.Name);
                }
            }

            names.Sort(StringComparer.Ordinal);
            return ValueTask.FromResult<object?>(names.Cast<object?>().ToArray());
        }) { IsReadOnly = true });
}
