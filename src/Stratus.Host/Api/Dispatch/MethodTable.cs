using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Dispatch;

/// <summary>
/// The registry of callable methods. Generic methods (getters, setters, listings) are registered from the schema,
/// explicit messages by the area classes under Api/Messages; a later registration of the same name replaces the
/// earlier one, so an area can take over a generated setter that needs checks.
/// </summary>
internal sealed class MethodTable
{
    private readonly Dictionary<string, XenMethod> _methods = new(StringComparer.Ordinal);

    public IEnumerable<XenMethod> All => _methods.Values;

    public XenMethod? Find(string name) => _methods.GetValueOrDefault(name);

    public void Add(XenMethod method) => _methods[method.Name] = method;

    /// <summary>
    /// Registers an explicit message with its datamodel signature (XenMessages), so arity and types are checked
    /// exactly as xapi checks them. <paramref name="optionalTrailing"/> counts trailing parameters that have defaults.
    /// </summary>
    public void Message(string name, XenHandler handler, int optionalTrailing = 0, bool supportsAsync = true)
    {
        var message = XenMessages.Find(name) ?? Implicit(name) ?? throw new ArgumentException($"{name} is not in the datamodel", nameof(name));
        var takesSession = message.Params.Count > 0 && message.Params[0].Name == "session_id";
        var parameters = takesSession ? message.Params.Skip(1).ToArray() : message.Params.ToArray();
        Add(new XenMethod(name, parameters, parameters.Length - optionalTrailing, takesSession, supportsAsync && takesSession, handler));
    }

    /// <summary>
    /// The signature xapi generates for an implicit message: <c>C.create(args: C record)</c>,
    /// <c>C.destroy(self)</c> and <c>C.set_f(self, value)</c> for an RW field.
    /// </summary>
    private static XenMessage? Implicit(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var cls = dot > 0 ? XenModel.Find(name[..dot]) : null;
        if (cls is null)
        {
            return null;
        }

        var session = new XenParam("session_id", XenType.RefTo("session"));
        var self = new XenParam("self", XenType.RefTo(cls.Name));
        var message = name[(dot + 1)..];
        return message switch
        {
            "create" => new XenMessage(name, XenType.RefTo(cls.Name), [session, new XenParam("args", XenType.RecordOf(cls.Name))]),
            "destroy" => new XenMessage(name, XenType.Void, [session, self]),
            _ when message.StartsWith("set_", StringComparison.Ordinal) && cls.Field(message[4..]) is { Qualifier: Qualifier.RW } field =>
                new XenMessage(name, XenType.Void, [session, self, new XenParam("value", field.Type)]),
            _ => null,
        };
    }

    /// <summary>Registers a synchronous message.</summary>
    public void Message(string name, Func<CallContext, Args, object?> handler, int optionalTrailing = 0, bool supportsAsync = true) =>
        Message(name, (context, args) => ValueTask.FromResult(handler(context, args)), optionalTrailing, supportsAsync);
}
