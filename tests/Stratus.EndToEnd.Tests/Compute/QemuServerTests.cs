using Stratus.EndToEnd.Tests.HostAgent;
using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Compute;

/// <summary>
/// The whole path with a real VM: the real openstack CLI against a real controller that manages a real qemu host
/// agent (TCG, inside a network namespace when root). The test image goes in through Glance, the conductor streams
/// it into the agent's SR with import_raw_vdi, QEMU boots it, and its banner comes back through
/// <c>openstack console log show</c> (nova's os-getConsoleOutput, read from the agent's /console_log).
/// </summary>
[Trait("Category", "Slow")]
public sealed class QemuServerTests(QemuAgentFixture agent) : IClassFixture<QemuAgentFixture>
{
    private const string Banner = "stratus-test-image ready: hostname=";

    [Fact]
    public async Task ServerCreate_WithTheTestImage_BootsAndItsBannerIsInTheConsoleLog()
    {
        agent.Require();
        TestEnvironment.Require("openstack", "the real OpenStack clients are the acceptance test");
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("stratus-e2e-qemu-cloud");
        await using var cloud = await CloudProcess.StartAsync(data.Path, [agent.Agent.Url], ct);
        var admin = OpenStackClient.Admin(cloud.Url);
        await WaitForComputeAsync(admin, ct);

        await ComputeCloudFixture.Ok(admin, ct, "flavor", "create", "--id", "84", "--ram", "128", "--disk", "1", "--vcpus", "1", "m1.micro");
        await ComputeCloudFixture.Ok(admin, ct, "image", "create", "--file", agent.Qcow2Disk, "--disk-format", "qcow2", "--container-format", "bare",
            "--min-ram", "128", "--public", "cirros");
        await ComputeCloudFixture.Ok(admin, ct, "network", "create", "private");
        await ComputeCloudFixture.Ok(admin, ct, "subnet", "create", "--network", "private", "--subnet-range", "10.0.0.0/24", "private-subnet");

        await ComputeCloudFixture.Ok(admin, ct, "server", "create", "--flavor", "m1.micro", "--image", "cirros", "--network", "private", "vm1");
        var active = await WaitForActiveAsync(admin, "vm1", ct);
        Assert.Equal("1", active["OS-EXT-STS:power_state"]!.ToString()); // nova's RUNNING

        // TCG boots take seconds, more on a busy machine: poll the console log until the guest says it is up.
        using var boot = CancellationTokenSource.CreateLinkedTokenSource(ct);
        boot.CancelAfter(QemuAgentFixture.BootTimeout);
        string log;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1), boot.Token);
            log = (await ComputeCloudFixture.Ok(admin, boot.Token, "console", "log", "show", "--lines", "50", "vm1")).Stdout;
        }
        while (!log.Contains(Banner, StringComparison.Ordinal));

        // The config drive gave the guest its name and the address the controller allocated.
        var line = log.Split('\n').First(l => l.Contains(Banner, StringComparison.Ordinal));
        Assert.Contains("hostname=vm1", line, StringComparison.Ordinal);
        var address = System.Text.RegularExpressions.Regex.Match(active["addresses"]!.ToJsonString(), @"10\.0\.0\.\d+").Value;
        Assert.NotEmpty(address);
        Assert.Contains(address, line, StringComparison.Ordinal);

        await ComputeCloudFixture.Ok(admin, ct, "server", "delete", "--wait", "vm1");
        Assert.Empty(await ComputeCloudFixture.JsonList(admin, ct, "server", "list"));
    }

    private static async Task WaitForComputeAsync(OpenStackClient admin, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        while (!(await ComputeCloudFixture.JsonList(admin, timeout.Token, "compute", "service", "list"))
            .Any(s => s!["Binary"]!.GetValue<string>() == "nova-compute" && s["State"]!.GetValue<string>() == "up"))
        {
            await Task.Delay(250, timeout.Token);
        }
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> WaitForActiveAsync(OpenStackClient admin, string server, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        while (true)
        {
            var shown = await ComputeCloudFixture.Json(admin, timeout.Token, "server", "show", server);
            var status = shown["status"]?.GetValue<string>();
            Assert.True(status != "ERROR", $"the server went to ERROR: {shown.ToJsonString()}");
            if (status == "ACTIVE" && shown["OS-EXT-STS:task_state"] is null)
            {
                return shown;
            }

            await Task.Delay(500, timeout.Token);
        }
    }
}
