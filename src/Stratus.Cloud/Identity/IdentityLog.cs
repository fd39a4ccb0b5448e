namespace Stratus.Cloud.Identity;

/// <summary>Identity's log lines (event ids 3000-3099). Never a password and never a token: audit ids only.</summary>
internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Identity bootstrap: created {Kind} {Name}")]
    public static partial void BootstrapCreated(this ILogger logger, string kind, string name);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Identity bootstrap: token signing key {KeyId} ready")]
    public static partial void SigningKeyReady(this ILogger logger, int keyId);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Issued token {AuditId} for user {UserId} (project {ProjectId}, methods {Methods})")]
    public static partial void TokenIssued(this ILogger logger, string auditId, string userId, string? projectId, string methods);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Authentication failed for {User}: {Reason}")]
    public static partial void AuthenticationFailed(this ILogger logger, string user, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Revoked token {AuditId} of user {UserId}")]
    public static partial void TokenRevoked(this ILogger logger, string auditId, string userId);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "{Action} {Kind} {Id} ({Name}) by user {UserId}")]
    public static partial void Changed(this ILogger logger, string action, string kind, string id, string name, string userId);
}
