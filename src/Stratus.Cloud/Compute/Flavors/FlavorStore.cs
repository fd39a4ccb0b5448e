using System.Data.Common;
using Dapper;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Flavors;

/// <summary>SQL storage of flavors (portable SQL through Dapper). Flavors are few, so lists load them whole.</summary>
internal sealed class FlavorStore(IDatabase database, TimeProvider time) : IFlavorStore
{
    private const string Columns =
        "flavorid AS Id, internal_id AS InternalId, name AS Name, memory_mb AS MemoryMb, vcpus AS Vcpus, root_gb AS RootGb, ephemeral_gb AS EphemeralGb, " +
        "swap AS Swap, rxtx_factor AS RxtxFactor, is_public AS IsPublic, disabled AS Disabled, description AS Description, created_at AS CreatedAt";

    public Task<Flavor?> FindAsync(string flavorId, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => FindAsync(connection, null, flavorId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Flavor>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Flavor>>(async connection =>
        {
            var rows = await connection.QueryAsync<FlavorRow>(new CommandDefinition($"SELECT {Columns} FROM flavors ORDER BY flavorid", cancellationToken: cancellationToken));
            var specs = (await connection.QueryAsync<SpecRow>(new CommandDefinition(
                "SELECT flavorid AS FlavorId, spec_key AS SpecKey, spec_value AS SpecValue FROM flavor_extra_specs ORDER BY spec_key", cancellationToken: cancellationToken)))
                .ToLookup(s => s.FlavorId, StringComparer.Ordinal);
            return rows.Select(r => r.ToFlavor(specs[r.Id])).ToList();
        }, cancellationToken);

    public Task<Flavor> CreateAsync(Flavor flavor, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, flavor, cancellationToken), cancellationToken);

    public Task<Flavor> EnsureAsync(Flavor flavor, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
            await FindAsync(connection, transaction, flavor.Id, cancellationToken) ?? await InsertAsync(connection, transaction, flavor, cancellationToken),
            cancellationToken);

    public Task<bool> DeleteAsync(string flavorId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM flavor_extra_specs WHERE flavorid = @flavorId", new { flavorId }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM flavors WHERE flavorid = @flavorId", new { flavorId }, transaction, cancellationToken: cancellationToken)) > 0;
        }, cancellationToken);

    public Task<Flavor?> SetDescriptionAsync(string flavorId, string? description, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var rows = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE flavors SET description = @description WHERE flavorid = @flavorId", new { flavorId, description }, transaction, cancellationToken: cancellationToken));
            return rows == 0 ? null : await FindAsync(connection, transaction, flavorId, cancellationToken);
        }, cancellationToken);

    public Task<Flavor?> SetExtraSpecsAsync(string flavorId, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            if (await FindAsync(connection, transaction, flavorId, cancellationToken) is null)
            {
                return null;
            }

            foreach (var (key, value) in specs)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO flavor_extra_specs (flavorid, spec_key, spec_value) VALUES (@flavorId, @key, @value)
                    ON CONFLICT (flavorid, spec_key) DO UPDATE SET spec_value = excluded.spec_value
                    """, new { flavorId, key, value }, transaction, cancellationToken: cancellationToken));
            }

            return await FindAsync(connection, transaction, flavorId, cancellationToken);
        }, cancellationToken);

    public Task<bool> DeleteExtraSpecAsync(string flavorId, string key, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM flavor_extra_specs WHERE flavorid = @flavorId AND spec_key = @key", new { flavorId, key }, transaction, cancellationToken: cancellationToken)) > 0,
            cancellationToken);

    private static async Task<Flavor?> FindAsync(DbConnection connection, DbTransaction? transaction, string flavorId, CancellationToken cancellationToken)
    {
        var row = await connection.QueryFirstOrDefaultAsync<FlavorRow>(new CommandDefinition(
            $"SELECT {Columns} FROM flavors WHERE flavorid = @flavorId", new { flavorId }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var specs = await connection.QueryAsync<SpecRow>(new CommandDefinition(
            "SELECT flavorid AS FlavorId, spec_key AS SpecKey, spec_value AS SpecValue FROM flavor_extra_specs WHERE flavorid = @flavorId ORDER BY spec_key",
            new { flavorId }, transaction, cancellationToken: cancellationToken));
        return row.ToFlavor(specs);
    }

    private async Task<Flavor> InsertAsync(DbConnection connection, DbTransaction transaction, Flavor flavor, CancellationToken cancellationToken)
    {
        var clash = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT CASE WHEN flavorid = @id THEN 'id' ELSE 'name' END FROM flavors WHERE flavorid = @id OR name = @name",
            new { id = flavor.Id, name = flavor.Name }, transaction, cancellationToken: cancellationToken));
        if (clash is not null)
        {
            throw new FlavorConflictException(clash == "id" ? $"Flavor with ID {flavor.Id} already exists." : $"Flavor with name {flavor.Name} already exists.");
        }

        var stored = flavor with
        {
            InternalId = await Sequences.NextAsync(connection, transaction, "flavors", cancellationToken),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO flavors (flavorid, internal_id, name, memory_mb, vcpus, root_gb, ephemeral_gb, swap, rxtx_factor, is_public, disabled, description, created_at)
            VALUES (@Id, @InternalId, @Name, @MemoryMb, @Vcpus, @RootGb, @EphemeralGb, @SwapMb, @RxtxFactor, @IsPublic, @Disabled, @Description, @CreatedAt)
            """,
            new
            {
                stored.Id, stored.InternalId, stored.Name, stored.MemoryMb, stored.Vcpus, stored.RootGb, stored.EphemeralGb, stored.SwapMb, stored.RxtxFactor,
                IsPublic = stored.IsPublic ? 1 : 0, Disabled = stored.Disabled ? 1 : 0, stored.Description, CreatedAt = DbTime.From(stored.CreatedAt),
            }, transaction, cancellationToken: cancellationToken));
        foreach (var (key, value) in stored.ExtraSpecs)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO flavor_extra_specs (flavorid, spec_key, spec_value) VALUES (@flavorId, @key, @value)",
                new { flavorId = stored.Id, key, value }, transaction, cancellationToken: cancellationToken));
        }

        return stored;
    }

    private sealed record FlavorRow(
        string Id, long InternalId, string Name, long MemoryMb, long Vcpus, long RootGb, long EphemeralGb, long Swap, double RxtxFactor, long IsPublic, long Disabled, string? Description, long CreatedAt)
    {
        public Flavor ToFlavor(IEnumerable<SpecRow> specs) => new()
        {
            Id = Id,
            InternalId = InternalId,
            Name = Name,
            MemoryMb = (int)MemoryMb,
            Vcpus = (int)Vcpus,
            RootGb = (int)RootGb,
            EphemeralGb = (int)EphemeralGb,
            SwapMb = (int)Swap,
            RxtxFactor = RxtxFactor,
            IsPublic = IsPublic != 0,
            Disabled = Disabled != 0,
            Description = Description,
            CreatedAt = DbTime.To(CreatedAt),
            ExtraSpecs = specs.ToDictionary(s => s.SpecKey, s => s.SpecValue, StringComparer.Ordinal),
        };
    }

    private sealed record SpecRow(string FlavorId, string SpecKey, string SpecValue);
}
