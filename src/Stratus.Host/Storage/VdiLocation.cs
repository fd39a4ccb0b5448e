namespace Stratus.Host.Storage;

/// <summary>
/// What a VDI location may look like: letters, digits, '.', '_', '-', '+', not starting with '.', at most 200
/// characters. It becomes a file name or an LV name, and VDI.location comes from clients (VDI.introduce), so "../x"
/// or "a/b" must never reach the substrate.
/// </summary>
internal static class VdiLocation
{
    public static bool IsValid(string location) =>
        location.Length is > 0 and <= 200 && location[0] != '.'
        && location.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+');
}
