namespace Stratus.XenApi;

/// <summary>Opaque references: <c>OpaqueRef:&lt;uuid&gt;</c>, stable for an object's lifetime (xapi-types/ref.ml).</summary>
public static class XenRef
{
    public const string Null = "OpaqueRef:NULL";

    public const string Prefix = "OpaqueRef:";

    public static string New() => Prefix + Guid.NewGuid().ToString("D");

    public static bool IsNull(string? reference) => string.IsNullOrEmpty(reference) || reference == Null;
}
