using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity;

/// <summary>
/// Identity's tables. Portable DDL (SQLite and PostgreSQL): TEXT ids, INTEGER 0/1 booleans, BIGINT microsecond
/// timestamps, JSON documents in TEXT. No foreign keys: the stores delete dependants explicitly, so both engines
/// behave alike. <c>user</c> is reserved in PostgreSQL, hence the <c>identity_</c> prefix.
/// </summary>
internal sealed class IdentitySchema : ISchema
{
    public string Area => "identity";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE identity_domains (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE identity_projects (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            domain_id TEXT NOT NULL,
            parent_id TEXT NOT NULL,
            description TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            tags TEXT NOT NULL,
            extra TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (domain_id, name));
        CREATE TABLE identity_users (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            domain_id TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            default_project_id TEXT NULL,
            password_hash TEXT NULL,
            extra TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (domain_id, name));
        CREATE TABLE identity_roles (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE identity_role_implications (
            prior_role_id TEXT NOT NULL,
            implied_role_id TEXT NOT NULL,
            PRIMARY KEY (prior_role_id, implied_role_id));
        CREATE TABLE identity_assignments (
            user_id TEXT NOT NULL,
            project_id TEXT NOT NULL,
            role_id TEXT NOT NULL,
            PRIMARY KEY (user_id, project_id, role_id));
        CREATE INDEX identity_assignments_project ON identity_assignments (project_id);
        CREATE INDEX identity_assignments_role ON identity_assignments (role_id);
        CREATE TABLE identity_signing_keys (
            id INTEGER PRIMARY KEY,
            secret TEXT NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE identity_revocations (
            id TEXT PRIMARY KEY,
            audit_id TEXT NULL,
            user_id TEXT NULL,
            project_id TEXT NULL,
            issued_before BIGINT NOT NULL,
            expires_at BIGINT NOT NULL);
        CREATE INDEX identity_revocations_expiry ON identity_revocations (expires_at);
        """,
    ];
}
