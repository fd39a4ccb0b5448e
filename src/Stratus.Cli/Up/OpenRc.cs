namespace Stratus.Cli.Up;

/// <summary>DevStack's openrc files: source one and the openstack and nova clients talk to this cloud as that user.</summary>
internal static class OpenRc
{
    /// <param name="path">The file to write.</param>
    /// <param name="settings">Where the cloud listens.</param>
    /// <param name="user">The OpenStack user.</param>
    /// <param name="project">The user's project.</param>
    /// <param name="password">The user's password.</param>
    /// <param name="hostPassword">For the admin file: the embedded host agent's root password, so <c>stratus xe</c> reaches it (XE_EXTRA_ARGS, as newcli reads it).</param>
    public static void Write(string path, UpSettings settings, string user, string project, string password, string? hostPassword = null)
    {
        var text = $"""
            # Stratus: source this file to use the cloud as {user} (project {project}).
            export OS_AUTH_URL={settings.BaseUrl}/identity/v3
            export OS_IDENTITY_API_VERSION=3
            export OS_USERNAME={user}
            export OS_PASSWORD='{password.Replace("'", "'\\''", StringComparison.Ordinal)}'
            export OS_PROJECT_NAME={project}
            export OS_USER_DOMAIN_ID=default
            export OS_PROJECT_DOMAIN_ID=default
            export OS_REGION_NAME=RegionOne
            export OS_INTERFACE=public

            """;
        if (hostPassword is not null && settings.ExternalHost is null)
        {
            // newcli's XE_EXTRA_ARGS: comma-separated key=value, a backslash escapes a comma.
            var escaped = hostPassword.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal);
            text += $"export XE_EXTRA_ARGS='server={settings.ListenEndPoint.Address},port={settings.ListenEndPoint.Port + 1},username=root,password={escaped.Replace("'", "'\\''", StringComparison.Ordinal)},nossl=true'\n";
        }

        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
