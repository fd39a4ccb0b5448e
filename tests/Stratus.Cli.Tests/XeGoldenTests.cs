using Stratus.Cli.Tests.Fakes;
using Stratus.XenApi;

namespace Stratus.Cli.Tests;

/// <summary>xe output against golden files (Golden/NOTES.md says how each was derived).</summary>
public sealed class XeGoldenTests
{
    [Theory]
    [InlineData("vm-list", 0, new[] { "vm-list" })]
    [InlineData("vm-list-minimal", 0, new[] { "vm-list", "--minimal" })]
    [InlineData("vm-list-params", 0, new[] { "vm-list", "params=power-state,name-label", "power-state=running" })]
    [InlineData("vm-list-params-minimal", 0, new[] { "vm-list", "params=name-label", "--minimal" })]
    [InlineData("vm-param-list", 0, new[] { "vm-param-list", "uuid=" + XeWorld.Web1Uuid })]
    [InlineData("vm-param-get", 0, new[] { "vm-param-get", "uuid=" + XeWorld.Web1Uuid, "param-name=memory-static-min" })]
    [InlineData("vm-param-get-key", 0, new[] { "vm-param-get", "uuid=" + XeWorld.Web1Uuid, "param-name=other-config", "param-key=base_template_name" })]
    [InlineData("vm-param-get-map", 0, new[] { "vm-param-get", "uuid=" + XeWorld.Web1Uuid, "param-name=other-config" })]
    [InlineData("host-list", 0, new[] { "host-list" })]
    [InlineData("sr-list", 0, new[] { "sr-list" })]
    [InlineData("vdi-list", 0, new[] { "vdi-list" })]
    [InlineData("network-list", 0, new[] { "network-list" })]
    [InlineData("pbd-list", 0, new[] { "pbd-list" })]
    [InlineData("error-uuid-invalid", 1, new[] { "vm-param-list", "uuid=00000000-0000-0000-0000-000000000000" })]
    [InlineData("error-usage", 1, new[] { "vm-param-get", "uuid=" + XeWorld.Web1Uuid })]
    [InlineData("error-unknown-command", 1, new[] { "vm-frobnicate" })]
    [InlineData("error-readonly", 1, new[] { "vm-param-set", "uuid=" + XeWorld.Web1Uuid, "power-state=halted" })]
    public async Task Run_FixtureWorld_MatchesGolden(string golden, int exitCode, string[] args)
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), args);

        AssertGolden(golden, exitCode, result);
    }

    [Fact]
    public async Task ParamSet_ServerRejectsOrder_PrintsDocSentence()
    {
        var api = XeWorld.Build();
        api.Handlers["VM.set_memory_static_min"] = _ => throw new XenApiFailure(XenErrors.MemoryConstraintViolationOrder);

        var result = await XeRun.AgainstAsync(api, "vm-param-set", "uuid=" + XeWorld.Web1Uuid, "memory-static-min=4GiB");

        AssertGolden("error-memory-order", 1, result);
    }

    [Fact]
    public async Task Start_ServerSaysBadPowerState_ShowsVmAsUuidAndName()
    {
        var api = XeWorld.Build();
        api.Handlers["VM.start"] = _ => throw new XenApiFailure(XenErrors.VmBadPowerState, XeWorld.Web1Ref, "halted", "running");

        var result = await XeRun.AgainstAsync(api, "vm-start", "vm=web1");

        AssertGolden("error-bad-power-state", 1, result);
    }

    [Fact]
    public async Task Call_UnknownErrorCode_PrintsGenericForm()
    {
        var api = XeWorld.Build();
        api.Handlers["VM.clean_reboot"] = _ => throw new XenApiFailure("STRATUS_SPECIAL", "a", XeWorld.Web1Ref);

        var result = await XeRun.AgainstAsync(api, "vm-reboot", "uuid=" + XeWorld.Web1Uuid);

        AssertGolden("error-unknown-code", 1, result);
    }

    private static void AssertGolden(string golden, int exitCode, XeResult result)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Golden");
        Assert.Equal(File.ReadAllText(Path.Combine(directory, golden + ".stderr.txt")), result.Stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(directory, golden + ".stdout.txt")), result.Stdout);
        Assert.Equal(exitCode, result.ExitCode);
    }
}
