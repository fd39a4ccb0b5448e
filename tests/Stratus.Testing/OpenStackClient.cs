using System.Diagnostics;

namespace Stratus.Testing;

/// <summary>
/// Runs the real OpenStack command-line clients from Debian (<c>openstack</c>, <c>nova</c>) against a controller,
/// with the OS_* environment a user's openrc would set.
/// </summary>
public sealed class OpenStackClient(Uri cloud, string user, string password, string project)
{
    public static OpenStackClient Admin(Uri cloud) => new(cloud, "admin", CloudProcess.AdminPassword, "admin");

    /// <summary>Runs <c>openstack &lt;args&gt;</c>; skips the test when the client is not installed (fails under CI).</summary>
    public Task<CliResult> OpenStackAsync(CancellationToken cancellationToken, params string[] args) => RunAsync("openstack", args, cancellationToken);

    /// <summary>Runs <c>nova &lt;args&gt;</c>.</summary>
    public Task<CliResult> NovaAsync(CancellationToken cancellationToken, params string[] args) => RunAsync("nova", args, cancellationToken);

    public async Task<CliResult> RunAsync(string program, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var executable = TestEnvironment.Require(program, "the real OpenStack clients are the acceptance test (apt: python3-openstackclient, python3-novaclient)");
        var info = new ProcessStartInfo(executable)
        {
            // stdin at EOF, as `openstack ... < /dev/null`: `image create` without --file reads image data from a
            // stdin that is not a terminal, and the test host's inherited pipe never ends.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["OS_AUTH_URL"] = new Uri(cloud, "identity/v3").ToString();
        info.Environment["OS_USERNAME"] = user;
        info.Environment["OS_PASSWORD"] = password;
        info.Environment["OS_PROJECT_NAME"] = project;
        info.Environment["OS_USER_DOMAIN_ID"] = "default";
        info.Environment["OS_PROJECT_DOMAIN_ID"] = "default";
        info.Environment["OS_IDENTITY_API_VERSION"] = "3";
        info.Environment["OS_REGION_NAME"] = "RegionOne";
        info.Environment["OS_INTERFACE"] = "public";
        foreach (var key in new[] { "OS_TOKEN", "OS_CLOUD", "OS_TENANT_NAME", "OS_PROJECT_ID" })
        {
            info.Environment.Remove(key);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
