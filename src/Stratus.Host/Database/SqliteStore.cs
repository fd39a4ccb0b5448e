using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Stratus.XenApi.Schema;
using Stratus.XenApi.Wire;

namespace Stratus.Host.Database;

/// <summary>
/// Durable storage for persisted classes: one row per object with its stored fields as JSON. WAL with
/// synchronous=NORMAL: a commit that returned survives the agent being killed (kill -9), which is the promise
/// the API makes; the derived relation fields are rebuilt on load, never stored.
/// </summary>
internal sealed class SqliteStore : IDisposable
{
    private readonly SqliteConnection _connection;

    public SqliteStore(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS objects (
                ref TEXT PRIMARY KEY,
                class TEXT NOT NULL,
                created INTEGER NOT NULL,
                modified INTEGER NOT NULL,
                data TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
    }

    public long LoadGeneration()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'generation'";
        return command.ExecuteScalar() is string text && long.TryParse(text, out var generation) ? generation : 0;
    }

    /// <summary>Reads every stored object. Unknown fields are dropped and missing ones defaulted, so the schema can grow.</summary>
    public IEnumerable<(XenClass Class, string Ref, long Created, long Modified, Dictionary<string, object?> Fields)> LoadAll()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT class, ref, created, modified, data FROM objects";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var cls = XenModel.Find(reader.GetString(0));
            if (cls is null)
            {
                continue;
            }

            using var document = JsonDocument.Parse(reader.GetString(4));
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                fields[property.Name] = JsonRpcCodec.ToValue(property.Value);
            }

            yield return (cls, reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), fields);
        }
    }

    /// <summary>Writes one commit atomically.</summary>
    public void Apply(IReadOnlyList<RowChange> changes, long generation, ISet<XenField> derived)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = _connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO objects (ref, class, created, modified, data) VALUES ($ref, $class, $created, $modified, $data)
            ON CONFLICT(ref) DO UPDATE SET modified = excluded.modified, data = excluded.data
            """;
        var pRef = upsert.Parameters.Add("$ref", SqliteType.Text);
        var pClass = upsert.Parameters.Add("$class", SqliteType.Text);
        var pCreated = upsert.Parameters.Add("$created", SqliteType.Integer);
        var pModified = upsert.Parameters.Add("$modified", SqliteType.Integer);
        var pData = upsert.Parameters.Add("$data", SqliteType.Text);
        using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM objects WHERE ref = $ref";
        var pDeleteRef = delete.Parameters.Add("$ref", SqliteType.Text);

        foreach (var change in changes)
        {
            if (!change.Class.Persist)
            {
                continue;
            }

            if (change.Row is null)
            {
                pDeleteRef.Value = change.Ref;
                delete.ExecuteNonQuery();
                continue;
            }

            pRef.Value = change.Ref;
            pClass.Value = change.Class.Name;
            pCreated.Value = change.Row.Created;
            pModified.Value = change.Row.Modified;
            pData.Value = Serialize(change.Row, derived);
            upsert.ExecuteNonQuery();
        }

        using var meta = _connection.CreateCommand();
        meta.Transaction = transaction;
        meta.CommandText = "INSERT INTO meta (key, value) VALUES ('generation', $g) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        meta.Parameters.AddWithValue("$g", generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        meta.ExecuteNonQuery();
        transaction.Commit();
    }

    public void Dispose() => _connection.Dispose();

    private static string Serialize(Row row, ISet<XenField> derived)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var field in row.Class.Fields)
            {
                if (derived.Contains(field))
                {
                    continue;
                }

                writer.WritePropertyName(field.Name);
                JsonRpcCodec.WriteValue(writer, row.Values[field.Index]);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
