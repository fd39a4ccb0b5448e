using BenchmarkDotNet.Attributes;
using Stratus.Cloud.Identity.Passwords;

namespace Stratus.Benchmarks.Identity;

/// <summary>The deliberate cost of one password check (PBKDF2-HMAC-SHA512, 210,000 iterations): paid once per login.</summary>
public class PasswordHashBenchmarks
{
    private readonly string _hash = PasswordHasher.Hash("correct horse battery staple");

    [Benchmark]
    public bool Verify() => PasswordHasher.Verify("correct horse battery staple", _hash);
}
