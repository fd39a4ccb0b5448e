namespace Stratus.Cloud.OpenStack.Faults;

/// <summary>Which OpenStack service a request is for; each has its own error body.</summary>
internal enum ServiceKind
{
    None,
    Identity,
    Compute,
    Image,
    Network,
}
