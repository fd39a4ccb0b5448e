using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Servers;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Benchmarks.Compute;

/// <summary>Writing one page of 1,000 detailed servers (GET /servers/detail's view work, without I/O).</summary>
[MemoryDiagnoser]
public class ServerViewBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4 << 20);
    private List<Instance> _servers = [];
    private ServerViewContext _v21 = null!;
    private ServerViewContext _v279 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        _servers = Enumerable.Range(0, 1000).Select(i => BenchServers.Make(i, "f81f9cb2f7dd4880b396263c54203e6f", start.AddSeconds(i)) with { InternalId = i + 1 }).ToList();
        var networks = _servers.Select((s, i) => (s.Id, View: BenchServers.Addresses(i))).ToDictionary(p => p.Id, p => p.View);
        _v21 = Context(new Microversion(2, 1), networks);
        _v279 = Context(new Microversion(2, 79), networks);
    }

    [Benchmark(Baseline = true)]
    public int Detail1000At21() => Write(_v21);

    [Benchmark]
    public int Detail1000At279() => Write(_v279);

    private static ServerViewContext Context(Microversion version, Dictionary<Guid, InstanceNetworkView> networks) => new()
    {
        Version = version,
        IsAdmin = true,
        SelfPrefix = "http://127.0.0.1:8800/compute/v2.1/servers/",
        BookmarkPrefix = "http://127.0.0.1:8800/compute/servers/",
        ImagePrefix = "http://127.0.0.1:8800/compute/images/",
        FlavorPrefix = "http://127.0.0.1:8800/compute/flavors/",
        Networks = networks,
        ComputeServices = new Dictionary<string, Stratus.Cloud.Compute.Services.ServiceRecord>(),
        Now = DateTime.UtcNow,
        ServiceDownTime = TimeSpan.FromSeconds(60),
    };

    private int Write(ServerViewContext context)
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        writer.WriteStartObject();
        writer.WriteStartArray("servers");
        foreach (var server in _servers)
        {
            ServerView.WriteFull(writer, server, context, ServerViewKind.Detail);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return _buffer.WrittenCount;
    }
}
