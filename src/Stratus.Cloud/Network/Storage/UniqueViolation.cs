using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Stratus.Cloud.Network.Storage;

/// <summary>Recognises a unique-key violation on either engine (SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, PostgreSQL 23505).</summary>
internal static class UniqueViolation
{
    public static bool Is(DbException exception) =>
        exception.SqlState == "23505"
        || exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}
