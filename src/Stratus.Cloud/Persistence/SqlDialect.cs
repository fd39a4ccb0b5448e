namespace Stratus.Cloud.Persistence;

/// <summary>
/// The SQL engines the controller runs on. Statements are written once, in the subset both understand
/// (ON CONFLICT upserts, RETURNING, integers for booleans and timestamps); the dialect only names the engine.
/// </summary>
internal enum SqlDialect
{
    Sqlite,
    Postgres,
}
