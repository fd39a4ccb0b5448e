using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Instances;

/// <summary>
/// Servers: the columns the API filters and sorts on, and the whole record as a JSON document.
/// Faults and actions (with their events) sit beside them.
/// </summary>
internal sealed class InstanceSchema : ISchema
{
    public string Area => "instances";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE instances (
            id TEXT PRIMARY KEY,
            internal_id BIGINT NOT NULL UNIQUE,
            project_id TEXT NOT NULL,
            name TEXT NOT NULL,
            vm_state TEXT NOT NULL,
            task_state TEXT,
            host TEXT,
            image_id TEXT NOT NULL,
            flavor_id TEXT NOT NULL,
            reservation_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            deleted INTEGER NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX instances_by_project ON instances (project_id, deleted, created_at);
        CREATE INDEX instances_by_created ON instances (deleted, created_at);
        CREATE INDEX instances_by_host ON instances (host, deleted);
        CREATE TABLE instance_faults (
            instance_id TEXT NOT NULL,
            code INTEGER NOT NULL,
            message TEXT NOT NULL,
            details TEXT NOT NULL,
            host TEXT,
            created_at BIGINT NOT NULL);
        CREATE INDEX instance_faults_by_instance ON instance_faults (instance_id, created_at);
        CREATE TABLE instance_actions (
            instance_id TEXT NOT NULL,
            request_id TEXT NOT NULL,
            action TEXT NOT NULL,
            user_id TEXT NOT NULL,
            project_id TEXT NOT NULL,
            start_time BIGINT NOT NULL,
            finish_time BIGINT,
            message TEXT,
            PRIMARY KEY (instance_id, request_id));
        CREATE TABLE instance_action_events (
            instance_id TEXT NOT NULL,
            request_id TEXT NOT NULL,
            event TEXT NOT NULL,
            start_time BIGINT NOT NULL,
            finish_time BIGINT,
            result TEXT,
            details TEXT,
            host TEXT);
        CREATE INDEX instance_action_events_by_action ON instance_action_events (instance_id, request_id);
        """,
    ];
}
