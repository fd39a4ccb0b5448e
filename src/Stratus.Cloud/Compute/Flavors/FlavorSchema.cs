using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Flavors;

/// <summary>Flavors and their extra specs (nova API database: flavors, flavor_extra_specs).</summary>
internal sealed class FlavorSchema : ISchema
{
    public string Area => "flavors";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE flavors (
            flavorid TEXT PRIMARY KEY,
            internal_id BIGINT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            memory_mb INTEGER NOT NULL,
            vcpus INTEGER NOT NULL,
            root_gb INTEGER NOT NULL,
            ephemeral_gb INTEGER NOT NULL,
            swap INTEGER NOT NULL,
            rxtx_factor DOUBLE PRECISION NOT NULL,
            is_public INTEGER NOT NULL,
            disabled INTEGER NOT NULL,
            description TEXT,
            created_at BIGINT NOT NULL);
        CREATE TABLE flavor_extra_specs (
            flavorid TEXT NOT NULL,
            spec_key TEXT NOT NULL,
            spec_value TEXT NOT NULL,
            PRIMARY KEY (flavorid, spec_key));
        """,
    ];
}
