using System.Buffers;
using BenchmarkDotNet.Attributes;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;
using Stratus.XenApi.Wire;

namespace Stratus.Benchmarks;

/// <summary>
/// The hot path of VM.get_all_records: serialising 1,000 VM records (as the object database holds them) into a
/// reply, on each wire. No HTTP: this is the agent's own share of the end-to-end figure.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private Dictionary<string, object?> _records = [];

    [GlobalSetup]
    public void Setup()
    {
        using var db = new ObjectDatabase(null);
        var refs = db.Write(tx => Enumerable.Range(0, 1000).Select(i => tx.Create(XenModel.VM, new Dictionary<string, object?>
        {
            ["name_label"] = $"bench-{i:D4}",
            ["memory_static_max"] = 1L << 30,
            ["VCPUs_max"] = 2L,
            ["platform"] = XenValue.Map(("acpi", "1"), ("nx", "true")),
            ["other_config"] = XenValue.Map(("nova_uuid", Guid.NewGuid().ToString())),
        })).ToList());
        _records = db.Read(tx => refs.ToDictionary(r => r, r => (object?)tx.Get(XenModel.VM, r).ToRecord(), StringComparer.Ordinal));
    }

    [Benchmark]
    public int XmlRpc()
    {
        _buffer.ResetWrittenCount();
        XmlRpcWriter.WriteSuccess(_buffer, _records);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int JsonRpc()
    {
        _buffer.ResetWrittenCount();
        JsonRpcCodec.WriteSuccess(_buffer, JsonRpcVersion.V2, 1L, _records);
        return _buffer.WrittenCount;
    }
}
