namespace Stratus.Cloud;

/// <summary>A XenAPI host or pool master to manage: its URL and root credentials (nova's xenserver connection_*).</summary>
public sealed class HostConnectionOptions
{
    public string Url { get; set; } = "";

    public string User { get; set; } = "root";

    public string Password { get; set; } = "";
}
