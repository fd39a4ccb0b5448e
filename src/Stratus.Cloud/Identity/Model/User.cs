namespace Stratus.Cloud.Identity.Model;

/// <summary>
/// A keystone user. <see cref="PasswordHash"/> is a salted PBKDF2 hash (never the password, never rendered);
/// <see cref="Extra"/> holds keystone's free-form attributes (email, description, ...) as a JSON object.
/// </summary>
internal sealed record User(
    string Id,
    string Name,
    string DomainId,
    bool Enabled,
    string? DefaultProjectId,
    string? PasswordHash,
    string Extra,
    DateTime CreatedAt);
