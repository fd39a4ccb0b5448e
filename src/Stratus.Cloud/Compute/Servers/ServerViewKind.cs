namespace Stratus.Cloud.Compute.Servers;

/// <summary>Which server view a response needs (nova views/servers.py show as called by detail, show and update).</summary>
internal enum ServerViewKind
{
    /// <summary>GET /servers/detail: no server_groups; host_status and security_groups come last.</summary>
    Detail,

    /// <summary>GET /servers/{id}: server_groups from 2.71.</summary>
    Show,

    /// <summary>PUT /servers/{id}: the reduced "basic" view below 2.75, the show view from 2.75.</summary>
    Update,
}
