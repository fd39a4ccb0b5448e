using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Quotas;

/// <summary>Per-project quota limits that differ from the defaults (nova quotas table).</summary>
internal sealed class QuotaSchema : ISchema
{
    public string Area => "quotas";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE quota_limits (
            project_id TEXT NOT NULL,
            resource TEXT NOT NULL,
            hard_limit BIGINT NOT NULL,
            PRIMARY KEY (project_id, resource));
        """,
    ];
}
