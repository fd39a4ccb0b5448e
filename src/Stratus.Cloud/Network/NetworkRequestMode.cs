namespace Stratus.Cloud.Network;

internal enum NetworkRequestMode
{
    Auto,
    None,
    Explicit,
}
