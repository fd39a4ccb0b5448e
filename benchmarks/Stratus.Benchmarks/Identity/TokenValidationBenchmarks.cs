using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stratus.Cloud;
using Stratus.Cloud.Identity;
using Stratus.Cloud.Identity.Tokens;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;

namespace Stratus.Benchmarks.Identity;

/// <summary>
/// What every API request pays for its token (the TokenFilter's ITokenValidator call), over a real migrated and
/// bootstrapped SQLite database with a warm cache: decode + HMAC alone, the full validation, and issuing. The password
/// hash is measured separately: it is paid once per login, never per request.
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private string _directory = "";
    private ServiceProvider _services = null!;
    private TokenService _tokens = null!;
    private TokenCodec _codec = null!;
    private Principal _principal = null!;
    private string _token = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "stratus-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var options = new CloudOptions { DataDirectory = _directory, AdminPassword = "admin-secret", PublicUrl = "http://bench:8800" };
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddPersistence(options)
            .AddOpenStack()
            .AddIdentity()
            .BuildServiceProvider();
        _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            hosted.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _tokens = _services.GetRequiredService<TokenService>();
        _codec = _services.GetRequiredService<TokenCodec>();
        var admin = _services.GetRequiredService<IdentityProvisioning>().EnsureUserAsync("admin", "unused", null, CancellationToken.None).GetAwaiter().GetResult();
        var project = _services.GetRequiredService<IdentityProvisioning>().EnsureProjectAsync("admin", "", CancellationToken.None).GetAwaiter().GetResult();
        _principal = _tokens.PrincipalAsync(admin.Id, project.Id, CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
        _token = _tokens.Issue(_principal, TokenMethods.Password).Token;
        if (Validate() is null)
        {
            throw new InvalidOperationException("the benchmark token does not validate");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public bool DecodeAndVerify() => _codec.TryDecode(_token, out _);

    [Benchmark]
    public string? Validate()
    {
        // Completes synchronously on a warm cache, which is what is measured; AsTask only on the rare poll.
        var pending = _tokens.ValidateAsync(_token, CancellationToken.None);
        return (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult())?.UserId;
    }

    [Benchmark]
    public string Issue() => _tokens.Issue(_principal, TokenMethods.Password).Token;
}
