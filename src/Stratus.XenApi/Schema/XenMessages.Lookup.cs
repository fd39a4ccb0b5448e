namespace Stratus.XenApi.Schema;

public static partial class XenMessages
{
    private static readonly Lazy<Dictionary<string, XenMessage>> ByName =
        new(() => Explicit.ToDictionary(m => m.Name, StringComparer.Ordinal));

    /// <summary>The datamodel signature of an explicit message such as <c>VM.start</c>.</summary>
    public static XenMessage? Find(string name) => ByName.Value.GetValueOrDefault(name);
}
