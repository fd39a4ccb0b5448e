using System.Data.Common;
using Stratus.Cloud.Identity.Tokens;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>
/// Identity's access to the database. Every write bumps the <c>identity.generation</c> sequence in its own
/// transaction (how other controllers notice it) and, once committed, refreshes this process's token cache at once.
/// Expired revocation events are purged along the way.
/// </summary>
internal sealed class IdentityDb(IDatabase database, IdentityCache cache, TimeProvider time, CloudOptions options)
{
    public Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken) =>
        database.ReadAsync(read, cancellationToken);

    public async Task<T> WriteAsync<T>(Func<IdentityWrite, Task<T>> write, CancellationToken cancellationToken)
    {
        IdentityWrite? done = null;
        var result = await database.WriteAsync(async (connection, transaction) =>
        {
            var context = new IdentityWrite(connection, transaction, DbTime.From(time.GetUtcNow()), options.TokenLifetime.Ticks / 10, cancellationToken);
            var value = await write(context);
            await Sequences.NextAsync(connection, transaction, IdentityCache.GenerationSequence, cancellationToken);
            if (context.Revocations.Count > 0)
            {
                await context.ExecuteAsync("DELETE FROM identity_revocations WHERE expires_at <= @now", new { now = context.Now });
            }

            done = context;
            return value;
        }, cancellationToken);

        cache.Invalidate();
        foreach (var revocation in done!.Revocations)
        {
            cache.Apply(revocation);
        }

        return result;
    }
}
