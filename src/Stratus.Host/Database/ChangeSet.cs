namespace Stratus.Host.Database;

/// <summary>What changed after a generation: live rows (added or modified), deletions, the generation read and the table sizes.</summary>
internal sealed record ChangeSet(IReadOnlyList<Row> Rows, IReadOnlyList<Tombstone> Deleted, long Generation, IReadOnlyDictionary<string, object?> Counts);
