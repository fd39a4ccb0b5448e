using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Stratus.Benchmarks.Identity;

/// <summary>
/// Why TokenCodec keeps one keyed HMAC per thread: the one-shot API builds a native HMAC context on every call.
/// Compare the two in one run (absolute figures wander on a shared machine; the ratio does not).
/// </summary>
[MemoryDiagnoser]
public class TokenMacBenchmarks
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(69);
    private readonly byte[] _mac = new byte[32];
    private IncrementalHash _reused = null!;

    [GlobalSetup]
    public void Setup() => _reused = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);

    [GlobalCleanup]
    public void Cleanup() => _reused.Dispose();

    [Benchmark(Baseline = true)]
    public int OneShot() => HMACSHA256.HashData(_key, _payload, _mac);

    [Benchmark]
    public bool Reused()
    {
        _reused.AppendData(_payload);
        return _reused.TryGetHashAndReset(_mac, out _);
    }
}
