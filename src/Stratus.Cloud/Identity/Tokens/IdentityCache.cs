using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using Dapper;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// What token validation needs from the database, kept in memory: resolved principals per (user, project) and the
/// revocation events. Writes in this process invalidate it at once (<see cref="Invalidate"/>, <see cref="Apply"/>);
/// writes by other controllers sharing the database are picked up within <see cref="PollInterval"/>, by watching the
/// <c>identity.generation</c> sequence that every identity write bumps. Revocations are only ever added in memory
/// (and dropped once expired), so a reload can never lose a revocation made meanwhile.
/// </summary>
internal sealed class IdentityCache(IDatabase database, TimeProvider time)
{
    public const string GenerationSequence = "identity.generation";

    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(UInt128 User, UInt128 Project), Principal?> _principals = new();
    private readonly ConcurrentDictionary<UInt128, long> _revokedTokens = new();
    private readonly ConcurrentDictionary<UInt128, (long IssuedBefore, long ExpiresAt)> _revokedUsers = new();
    private readonly ConcurrentDictionary<UInt128, (long IssuedBefore, long ExpiresAt)> _revokedProjects = new();
    private readonly Lock _pollLock = new();
    private long _epoch;
    private long _generation = -1;
    private long _nextPoll = long.MinValue;
    private Task? _poll;

    /// <summary>Changes each time the principals are dropped; a load that began under an older epoch is not kept.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>Completes at once unless it is time to look for other controllers' writes.</summary>
    public ValueTask EnsureFreshAsync(CancellationToken cancellationToken)
    {
        if (time.GetTimestamp() < Volatile.Read(ref _nextPoll))
        {
            return ValueTask.CompletedTask;
        }

        Task poll;
        lock (_pollLock)
        {
            // One poll at a time; everyone who arrives meanwhile waits for the same one. Started on the pool so it
            // cannot finish (and clear _poll) before it is stored: its finally needs this lock.
            _poll ??= Task.Run(PollAsync, CancellationToken.None);
            poll = _poll;
        }

        return new ValueTask(poll.WaitAsync(cancellationToken));
    }

    public bool IsRevoked(in TokenPayload token)
    {
        if (_revokedTokens.ContainsKey(token.AuditId))
        {
            return true;
        }

        if (!_revokedUsers.IsEmpty && _revokedUsers.TryGetValue(token.UserId, out var user) && token.IssuedAt <= user.IssuedBefore)
        {
            return true;
        }

        return token.IsProjectScoped && !_revokedProjects.IsEmpty
            && _revokedProjects.TryGetValue(token.ProjectId, out var project) && token.IssuedAt <= project.IssuedBefore;
    }

    /// <summary>A cached principal; a cached null means "known invalid" (user gone, disabled, no roles).</summary>
    public bool TryGetPrincipal(UInt128 user, UInt128 project, out Principal? principal) =>
        _principals.TryGetValue((user, project), out principal);

    public void StorePrincipal(UInt128 user, UInt128 project, Principal? principal, long epoch)
    {
        _principals[(user, project)] = principal;
        if (Volatile.Read(ref _epoch) != epoch)
        {
            // Invalidated while it was loading: the entry may be stale.
            _principals.TryRemove((user, project), out _);
        }
    }

    /// <summary>Drops every cached principal (after an identity write in this process).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _epoch);
        _principals.Clear();
    }

    /// <summary>Takes a committed revocation into memory.</summary>
    public void Apply(Revocation revocation)
    {
        if (revocation.AuditId is { } audit && TryParseAuditId(audit, out var auditId))
        {
            _revokedTokens[auditId] = revocation.ExpiresAt;
        }

        if (revocation.UserId is { } user && IdentityIds.IsHex(user))
        {
            Merge(_revokedUsers, IdentityIds.ToNumber(user), revocation);
        }

        if (revocation.ProjectId is { } project && IdentityIds.IsHex(project))
        {
            Merge(_revokedProjects, IdentityIds.ToNumber(project), revocation);
        }
    }

    public static bool TryParseAuditId(string text, out UInt128 auditId)
    {
        Span<byte> bytes = stackalloc byte[18];
        if (text.Length == 22 && Base64Url.TryDecodeFromChars(text, bytes, out var written) && written == 16)
        {
            auditId = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            return true;
        }

        auditId = UInt128.Zero;
        return false;
    }

    private static void Merge(ConcurrentDictionary<UInt128, (long IssuedBefore, long ExpiresAt)> map, UInt128 key, Revocation revocation) =>
        map.AddOrUpdate(
            key,
            (revocation.IssuedBefore, revocation.ExpiresAt),
            (_, old) => (Math.Max(old.IssuedBefore, revocation.IssuedBefore), Math.Max(old.ExpiresAt, revocation.ExpiresAt)));

    private async Task PollAsync()
    {
        try
        {
            var now = DbTime.From(time.GetUtcNow());
            var (generation, revocations) = await database.ReadAsync(async connection =>
            {
                var value = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT value FROM sequences WHERE name = @name", new { name = GenerationSequence })) ?? 0;
                if (value == Volatile.Read(ref _generation))
                {
                    return (value, (IReadOnlyList<Revocation>?)null);
                }

                var rows = await connection.QueryAsync<Revocation>(new CommandDefinition(
                    """
                    SELECT id AS Id, audit_id AS AuditId, user_id AS UserId, project_id AS ProjectId,
                           issued_before AS IssuedBefore, expires_at AS ExpiresAt
                    FROM identity_revocations WHERE expires_at > @now
                    """, new { now }));
                return (value, rows.ToList());
            }, CancellationToken.None);

            if (revocations is not null)
            {
                Invalidate();
                foreach (var revocation in revocations)
                {
                    Apply(revocation);
                }

                Purge(now);
                Volatile.Write(ref _generation, generation);
            }

            Volatile.Write(ref _nextPoll, time.GetTimestamp() + (long)(PollInterval.TotalSeconds * time.TimestampFrequency));
        }
        finally
        {
            lock (_pollLock)
            {
                _poll = null;
            }
        }
    }

    private void Purge(long now)
    {
        foreach (var (key, expires) in _revokedTokens)
        {
            if (expires <= now)
            {
                _revokedTokens.TryRemove(key, out _);
            }
        }

        foreach (var map in new[] { _revokedUsers, _revokedProjects })
        {
            foreach (var (key, value) in map)
            {
                if (value.ExpiresAt <= now)
                {
                    map.TryRemove(key, out _);
                }
            }
        }
    }
}
