using System.Text.Json;
using Dapper;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Image;

/// <summary>
/// SQL storage of images and members. Every change is a read-modify-write of one image inside a transaction with
/// a version check, so concurrent updates (two uploads racing for one image) serialise: the loser sees the state
/// the winner left and fails its own precondition instead of overwriting it.
/// </summary>
internal sealed class ImageStore(IDatabase database)
{
    private const int MaxUpdateAttempts = 10;

    public Task<ImageRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var data = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT data FROM images WHERE id = @id", new { id }, cancellationToken: cancellationToken));
            return data is null ? null : Parse(data);
        }, cancellationToken);

    /// <summary>
    /// The images a project could see in some listing: public, community, its own and those shared with it.
    /// A null project means every image (admin).
    /// </summary>
    public Task<IReadOnlyList<ImageRecord>> ListCandidatesAsync(string? projectId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ImageRecord>>(async connection =>
        {
            var rows = projectId is null
                ? await connection.QueryAsync<string>(new CommandDefinition("SELECT data FROM images", cancellationToken: cancellationToken))
                : await connection.QueryAsync<string>(new CommandDefinition(
                    """
                    SELECT data FROM images
                    WHERE visibility IN ('public', 'community') OR owner = @projectId
                       OR id IN (SELECT image_id FROM image_members WHERE member_id = @projectId)
                    """, new { projectId }, cancellationToken: cancellationToken));
            return rows.Select(Parse).ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<ImageRecord>> ListByStatusAsync(string status, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ImageRecord>>(async connection =>
            (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT data FROM images WHERE status = @status", new { status }, cancellationToken: cancellationToken))).Select(Parse).ToList(), cancellationToken);

    /// <summary>Adds an image; 409 when the id is taken (glance lets the creator choose the id).</summary>
    public Task InsertAsync(ImageRecord image, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM images WHERE id = @id", new { id = image.Id }, transaction, cancellationToken: cancellationToken));
            if (exists > 0)
            {
                throw ApiException.Conflict($"Image with identifier {image.Id} already exists!");
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO images (id, owner, name, status, visibility, created_at, version, data)
                VALUES (@id, @owner, @name, @status, @visibility, @createdAt, 1, @data)
                """, Columns(image), transaction, cancellationToken: cancellationToken));
            return 0;
        }, cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the current image and stores the result. The change may throw an
    /// <see cref="ApiException"/> to refuse (nothing is written). Returns null when the image does not exist.
    /// </summary>
    public async Task<ImageRecord?> UpdateAsync(string id, Func<ImageRecord, ImageRecord> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var (found, updated) = await database.WriteAsync(async (connection, transaction) =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                    "SELECT data, version FROM images WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
                if (row is null)
                {
                    return (false, (ImageRecord?)null);
                }

                var next = change(Parse(row.Data));
                var parameters = new DynamicParameters(Columns(next));
                parameters.Add("expected", row.Version);
                var count = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE images SET owner = @owner, name = @name, status = @status, visibility = @visibility, version = version + 1, data = @data
                    WHERE id = @id AND version = @expected
                    """, parameters, transaction, cancellationToken: cancellationToken));
                return (true, count == 1 ? next : null);
            }, cancellationToken);
            if (!found)
            {
                return null;
            }

            if (updated is not null)
            {
                return updated;
            }
        }

        throw ApiException.Conflict($"Image {id} is being changed concurrently; try again.");
    }

    /// <summary>Deletes the image and its members; false when it did not exist.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM image_members WHERE image_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM images WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)) > 0;
        }, cancellationToken);

    /// <summary>The caller's membership of every image shared with it, by image id.</summary>
    public Task<IReadOnlyDictionary<string, ImageMember>> MembershipsOfAsync(string projectId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, ImageMember>>(async connection =>
            (await connection.QueryAsync<MemberRow>(new CommandDefinition(
                "SELECT image_id AS ImageId, member_id AS MemberId, status, created_at AS CreatedAt, updated_at AS UpdatedAt FROM image_members WHERE member_id = @projectId",
                new { projectId }, cancellationToken: cancellationToken))).Select(ToMember).ToDictionary(m => m.ImageId, StringComparer.Ordinal), cancellationToken);

    public Task<IReadOnlyList<ImageMember>> ListMembersAsync(string imageId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ImageMember>>(async connection =>
            (await connection.QueryAsync<MemberRow>(new CommandDefinition(
                "SELECT image_id AS ImageId, member_id AS MemberId, status, created_at AS CreatedAt, updated_at AS UpdatedAt FROM image_members WHERE image_id = @imageId ORDER BY created_at, member_id",
                new { imageId }, cancellationToken: cancellationToken))).Select(ToMember).ToList(), cancellationToken);

    public async Task<ImageMember?> FindMemberAsync(string imageId, string memberId, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            "SELECT image_id AS ImageId, member_id AS MemberId, status, created_at AS CreatedAt, updated_at AS UpdatedAt FROM image_members WHERE image_id = @imageId AND member_id = @memberId",
            new { imageId, memberId }, cancellationToken: cancellationToken)), cancellationToken);
        return row is null ? null : ToMember(row);
    }

    /// <summary>Adds a member; false when it already is one.</summary>
    public Task<bool> AddMemberAsync(ImageMember member, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO image_members (image_id, member_id, status, created_at, updated_at)
            VALUES (@ImageId, @MemberId, @Status, @CreatedAt, @UpdatedAt)
            ON CONFLICT (image_id, member_id) DO NOTHING
            """,
            new { member.ImageId, member.MemberId, member.Status, CreatedAt = DbTime.From(member.CreatedAt), UpdatedAt = DbTime.From(member.UpdatedAt) },
            transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task<bool> UpdateMemberAsync(string imageId, string memberId, string status, DateTime now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE image_members SET status = @status, updated_at = @now WHERE image_id = @imageId AND member_id = @memberId",
            new { imageId, memberId, status, now = DbTime.From(now) }, transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task<bool> DeleteMemberAsync(string imageId, string memberId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM image_members WHERE image_id = @imageId AND member_id = @memberId",
            new { imageId, memberId }, transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    private static object Columns(ImageRecord image) => new
    {
        id = image.Id,
        owner = image.Owner,
        name = image.Name,
        status = image.Status,
        visibility = image.Visibility,
        createdAt = DbTime.From(image.CreatedAt),
        data = JsonSerializer.Serialize(image, ImageJson.Default.ImageRecord),
    };

    private static ImageRecord Parse(string data) =>
        JsonSerializer.Deserialize(data, ImageJson.Default.ImageRecord) ?? throw new InvalidDataException("an image row holds no document");

    private static ImageMember ToMember(MemberRow row) => new(row.ImageId, row.MemberId, row.Status, DbTime.To(row.CreatedAt), DbTime.To(row.UpdatedAt));

    private sealed class Row
    {
        public string Data { get; set; } = "";

        public long Version { get; set; }
    }

    private sealed class MemberRow
    {
        public string ImageId { get; set; } = "";

        public string MemberId { get; set; } = "";

        public string Status { get; set; } = "";

        public long CreatedAt { get; set; }

        public long UpdatedAt { get; set; }
    }
}
