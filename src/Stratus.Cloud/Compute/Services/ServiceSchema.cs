using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Services;

internal sealed class ServiceSchema : ISchema
{
    public string Area => "services";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE services (
            id BIGINT PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            binary_name TEXT NOT NULL,
            host TEXT NOT NULL,
            data TEXT NOT NULL,
            UNIQUE (binary_name, host));
        """,
    ];
}
