namespace Stratus.Cli.Up;

/// <summary>DevStack's openrc files: source one and the openstack and nova clients talk to this cloud as that user.</summary>
internal static class OpenRc
{
    public static void Write(string path, UpSettings settings, string user, string project, string password)
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
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
