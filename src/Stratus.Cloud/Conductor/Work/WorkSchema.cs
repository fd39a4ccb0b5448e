using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Conductor.Work;

/// <summary>The conductor's own table: work in progress (a row per unfinished operation on a server).</summary>
internal sealed class WorkSchema : ISchema
{
    public string Area => "conductor";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE conductor_work (
            id TEXT PRIMARY KEY,
            instance_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            request_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX conductor_work_by_instance ON conductor_work (instance_id);
        """,
    ];
}
