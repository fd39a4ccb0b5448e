using Stratus.Cloud.Identity;

namespace Stratus.Cloud.Tests.Support;

/// <summary>
/// A hand-written token validator at the Identity boundary: fixed tokens for an admin and members of two projects,
/// so API tests exercise policy and isolation without Keystone.
/// </summary>
internal sealed class FakeTokens : ITokenValidator
{
    public const string AdminProject = "adminproject0000000000000000000a";
    public const string ProjectA = "projecta000000000000000000000000a";
    public const string ProjectB = "projectb000000000000000000000000b";

    public const string Admin = "token-admin";
    public const string Alice = "token-alice";
    public const string Bob = "token-bob";
    public const string Reader = "token-reader";

    private readonly Dictionary<string, TokenInfo> _tokens = new(StringComparer.Ordinal)
    {
        [Admin] = Info("admin", AdminProject, "admin", "admin", "member", "reader"),
        [Alice] = Info("alice", ProjectA, "a", "member", "reader"),
        [Bob] = Info("bob", ProjectB, "b", "member", "reader"),
        [Reader] = Info("rita", ProjectA, "a", "reader"),
    };

    public ValueTask<TokenInfo?> ValidateAsync(string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tokens.GetValueOrDefault(token));

    private static TokenInfo Info(string user, string project, string projectName, params string[] roles) =>
        new(user + "-id", user, project, projectName, roles, DateTime.UtcNow, DateTime.UtcNow.AddHours(1), "audit-" + user);
}
