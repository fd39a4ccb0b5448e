using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Keypairs;

internal sealed class KeypairSchema : ISchema
{
    public string Area => "keypairs";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE keypairs (
            id BIGINT PRIMARY KEY,
            user_id TEXT NOT NULL,
            name TEXT NOT NULL,
            key_type TEXT NOT NULL,
            public_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (user_id, name));
        """,
    ];
}
