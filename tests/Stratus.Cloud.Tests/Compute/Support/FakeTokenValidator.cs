using Stratus.Cloud.Identity;

namespace Stratus.Cloud.Tests.Compute.Support;

/// <summary>Identity's token check with fixed tokens: admin, demo (member), reader and another project's member.</summary>
internal sealed class FakeTokenValidator : ITokenValidator
{
    public const string AdminToken = "admin-token";
    public const string DemoToken = "demo-token";
    public const string ReaderToken = "reader-token";
    public const string OtherToken = "other-token";

    public const string AdminProject = "a0000000000000000000000000000001";
    public const string DemoProject = "d0000000000000000000000000000002";
    public const string OtherProject = "e0000000000000000000000000000003";

    private static readonly DateTime Issued = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly Dictionary<string, TokenInfo> _tokens = new(StringComparer.Ordinal)
    {
        [AdminToken] = new("admin-user", "admin", AdminProject, "admin", ["admin", "member", "reader"], Issued, DateTime.MaxValue, "a1"),
        [DemoToken] = new("demo-user", "demo", DemoProject, "demo", ["member", "reader"], Issued, DateTime.MaxValue, "a2"),
        [ReaderToken] = new("reader-user", "reader", DemoProject, "demo", ["reader"], Issued, DateTime.MaxValue, "a3"),
        [OtherToken] = new("other-user", "other", OtherProject, "other", ["member", "reader"], Issued, DateTime.MaxValue, "a4"),
    };

    public ValueTask<TokenInfo?> ValidateAsync(string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tokens.GetValueOrDefault(token));
}
