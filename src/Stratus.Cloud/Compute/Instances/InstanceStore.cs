using System.Data.Common;
using System.Text;
using System.Text.Json;
using Dapper;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Instances;

/// <summary>SQL storage of servers (portable SQL through Dapper); the JSON document is the record, the columns index it.</summary>
internal sealed class InstanceStore(IDatabase database, TimeProvider time) : IInstanceStore
{
    private const int MaxUpdateAttempts = 20;

    private static readonly Dictionary<string, string> SortColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["created_at"] = "created_at",
        ["updated_at"] = "updated_at",
        ["display_name"] = "name",
        ["name"] = "name",
        ["uuid"] = "id",
        ["id"] = "id",
        ["vm_state"] = "vm_state",
        ["task_state"] = "task_state",
        ["host"] = "host",
    };

    public async Task<Instance> CreateAsync(Instance instance, InstanceAction createAction, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            var number = await Sequences.NextAsync(connection, transaction, "instances", cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var stored = instance with
            {
                InternalId = number,
                CreatedAt = instance.CreatedAt == default ? now : instance.CreatedAt,
                UpdatedAt = now,
                Version = 1,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO instances (id, internal_id, project_id, name, vm_state, task_state, host, image_id, flavor_id, reservation_id, created_at, updated_at, deleted, version, data)
                VALUES (@id, @internalId, @projectId, @name, @vmState, @taskState, @host, @imageId, @flavorId, @reservationId, @createdAt, @updatedAt, @deleted, @version, @data)
                """, Columns(stored), transaction, cancellationToken: cancellationToken));
            await InsertActionAsync(connection, transaction, createAction, cancellationToken);
            return stored;
        }, cancellationToken);

    public Task<Instance?> FindAsync(Guid id, bool includeDeleted, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                includeDeleted ? "SELECT data FROM instances WHERE id = @id" : "SELECT data FROM instances WHERE id = @id AND deleted = 0",
                new { id = id.ToString() }, cancellationToken: cancellationToken));
            return await reader.ReadAsync(cancellationToken) ? Parse(reader.GetFieldValue<byte[]>(0)) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<Instance>> ListAsync(InstanceQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Instance>>(async connection =>
        {
            var where = new StringBuilder("WHERE 1 = 1");
            // Plain values, and a fresh DynamicParameters per command: Dapper's parameter objects must not be shared
            // between two commands (the marker look-up and the page query).
            var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (query.ProjectId is not null)
            {
                where.Append(" AND project_id = @projectId");
                parameters["projectId"] = query.ProjectId;
            }

            if (query.OnlyDeleted)
            {
                where.Append(" AND deleted = 1");
            }
            else if (!query.IncludeDeleted)
            {
                where.Append(" AND deleted = 0");
            }

            if (query.VmStates is { Count: > 0 })
            {
                where.Append(" AND vm_state IN @vmStates");
                parameters["vmStates"] = query.VmStates.ToArray();
            }

            AddEquals(where, parameters, "image_id", query.ImageId);
            AddEquals(where, parameters, "flavor_id", query.FlavorId);
            AddEquals(where, parameters, "host", query.Host);
            AddEquals(where, parameters, "reservation_id", query.ReservationId);
            if (query.ChangesSince is { } since)
            {
                where.Append(" AND updated_at >= @since");
                parameters["since"] = DbTime.From(since);
            }

            var column = SortColumns.GetValueOrDefault(query.SortKey, "created_at");
            var direction = query.Descending ? "DESC" : "ASC";
            if (query.Marker is { } marker)
            {
                var markerValue = await connection.QueryFirstOrDefaultAsync(new CommandDefinition(
                    $"SELECT {column} AS v FROM instances {where} AND id = @marker", new DynamicParameters(new Dictionary<string, object?>(parameters) { ["marker"] = marker.ToString() }), cancellationToken: cancellationToken))
                    ?? throw new MarkerNotFoundException(marker);
                var comparison = query.Descending ? "<" : ">";
                where.Append($" AND ({column} {comparison} @markerValue OR ({column} = @markerValue AND id {comparison} @marker))");
                parameters["markerValue"] = ((IDictionary<string, object?>)markerValue)["v"];
                parameters["marker"] = marker.ToString();
            }

            var limit = query.Limit is { } n ? $" LIMIT {Math.Max(0, n)}" : "";
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                $"SELECT data FROM instances {where} ORDER BY {column} {direction}, id {direction}{limit}", new DynamicParameters(parameters), cancellationToken: cancellationToken));
            var result = new List<Instance>(query.Limit is { } capacity ? Math.Clamp(capacity, 0, 1000) : 64);
            while (await reader.ReadAsync(cancellationToken))
            {
                // The document's UTF-8 bytes as SQLite holds them: no detour through a UTF-16 string (server lists read thousands).
                result.Add(Parse(reader.GetFieldValue<byte[]>(0)));
            }

            return result;
        }, cancellationToken);

    public async Task<Instance?> UpdateAsync(Guid id, Func<Instance, Instance?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await FindAsync(id, includeDeleted: true, cancellationToken);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            if (changed is null)
            {
                return null;
            }

            var stored = changed with { Version = current.Version + 1, UpdatedAt = time.GetUtcNow().UtcDateTime };
            var rows = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE instances SET name = @name, vm_state = @vmState, task_state = @taskState, host = @host, image_id = @imageId,
                    flavor_id = @flavorId, reservation_id = @reservationId, updated_at = @updatedAt, deleted = @deleted, version = @version, data = @data
                WHERE id = @id AND version = @expected
                """, Merge(Columns(stored), "expected", current.Version), transaction, cancellationToken: cancellationToken)), cancellationToken);
            if (rows == 1)
            {
                return stored;
            }
        }

        throw new InvalidOperationException($"instance {id} kept changing under an update");
    }

    public Task<IReadOnlyList<Instance>> ListOnHostAsync(string host, CancellationToken cancellationToken) =>
        ListAsync(new InstanceQuery { Host = host, SortKey = "created_at", Descending = false }, cancellationToken);

    public Task<ProjectUsage> UsageAsync(string projectId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var rows = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT data FROM instances WHERE project_id = @projectId AND deleted = 0", new { projectId }, cancellationToken: cancellationToken));
            var instances = rows.Select(Parse).ToList();
            return new ProjectUsage(instances.Count, instances.Sum(i => i.Flavor.Vcpus), instances.Sum(i => (long)i.Flavor.RamMb));
        }, cancellationToken);

    public Task AddFaultAsync(Guid instanceId, InstanceFault fault, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO instance_faults (instance_id, code, message, details, host, created_at) VALUES (@id, @code, @message, @details, @host, @createdAt)",
            new { id = instanceId.ToString(), code = fault.Code, message = fault.Message, details = fault.Details, host = fault.Host, createdAt = DbTime.From(fault.CreatedAt) },
            transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyDictionary<Guid, InstanceFault>> LatestFaultsAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<Guid, InstanceFault>>(async connection =>
        {
            var faults = new Dictionary<Guid, InstanceFault>();
            foreach (var chunk in instanceIds.Chunk(500))
            {
                var rows = await connection.QueryAsync<FaultRow>(new CommandDefinition(
                    "SELECT instance_id AS InstanceId, code AS Code, message AS Message, details AS Details, host AS Host, created_at AS CreatedAt FROM instance_faults WHERE instance_id IN @ids ORDER BY created_at",
                    new { ids = chunk.Select(i => i.ToString()).ToArray() }, cancellationToken: cancellationToken));
                foreach (var row in rows)
                {
                    faults[Guid.Parse(row.InstanceId)] = new InstanceFault((int)row.Code, row.Message, row.Details, DbTime.To(row.CreatedAt), row.Host);
                }
            }

            return faults;
        }, cancellationToken);

    public Task StartActionAsync(InstanceAction action, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => InsertActionAsync(connection, transaction, action, cancellationToken), cancellationToken);

    public Task FinishActionAsync(Guid instanceId, string requestId, DateTime finishTime, string? message, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE instance_actions SET finish_time = @finish, message = @message WHERE instance_id = @id AND request_id = @requestId",
            new { id = instanceId.ToString(), requestId, finish = DbTime.From(finishTime), message }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task StartEventAsync(Guid instanceId, string requestId, string eventName, DateTime startTime, string? host, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO instance_action_events (instance_id, request_id, event, start_time, host) VALUES (@id, @requestId, @eventName, @start, @host)",
            new { id = instanceId.ToString(), requestId, eventName, start = DbTime.From(startTime), host }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task FinishEventAsync(Guid instanceId, string requestId, string eventName, DateTime finishTime, string result, string? details, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE instance_action_events SET finish_time = @finish, result = @result, details = @details
            WHERE instance_id = @id AND request_id = @requestId AND event = @eventName AND finish_time IS NULL
            """,
            new { id = instanceId.ToString(), requestId, eventName, finish = DbTime.From(finishTime), result, details }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<InstanceAction>> ListActionsAsync(Guid instanceId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<InstanceAction>>(async connection =>
        {
            var id = instanceId.ToString();
            var actions = await connection.QueryAsync<ActionRow>(new CommandDefinition(
                "SELECT request_id AS RequestId, action AS Action, user_id AS UserId, project_id AS ProjectId, start_time AS StartTime, finish_time AS FinishTime, message AS Message FROM instance_actions WHERE instance_id = @id ORDER BY start_time",
                new { id }, cancellationToken: cancellationToken));
            var events = (await connection.QueryAsync<EventRow>(new CommandDefinition(
                "SELECT request_id AS RequestId, event AS Event, start_time AS StartTime, finish_time AS FinishTime, result AS Result, details AS Details, host AS Host FROM instance_action_events WHERE instance_id = @id ORDER BY start_time",
                new { id }, cancellationToken: cancellationToken))).ToLookup(e => e.RequestId);
            return actions.Select(a => new InstanceAction(instanceId, a.Action, a.RequestId, a.UserId, a.ProjectId, DbTime.To(a.StartTime), DbTime.To(a.FinishTime), a.Message,
                events[a.RequestId].Select(e => new InstanceActionEvent(e.Event, DbTime.To(e.StartTime), DbTime.To(e.FinishTime), e.Result, e.Details, e.Host)).ToList())).ToList();
        }, cancellationToken);

    private static async Task<int> InsertActionAsync(DbConnection connection, DbTransaction transaction, InstanceAction action, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO instance_actions (instance_id, request_id, action, user_id, project_id, start_time, finish_time, message)
            VALUES (@id, @requestId, @action, @userId, @projectId, @start, @finish, @message)
            """,
            new
            {
                id = action.InstanceId.ToString(), requestId = action.RequestId, action = action.Action, userId = action.UserId, projectId = action.ProjectId,
                start = DbTime.From(action.StartTime), finish = DbTime.From(action.FinishTime), message = action.Message,
            }, transaction, cancellationToken: cancellationToken));
        foreach (var e in action.Events)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO instance_action_events (instance_id, request_id, event, start_time, finish_time, result, details, host) VALUES (@id, @requestId, @event, @start, @finish, @result, @details, @host)",
                new { id = action.InstanceId.ToString(), requestId = action.RequestId, @event = e.Event, start = DbTime.From(e.StartTime), finish = DbTime.From(e.FinishTime), result = e.Result, details = e.Details, host = e.Host },
                transaction, cancellationToken: cancellationToken));
        }

        return 0;
    }

    private static void AddEquals(StringBuilder where, Dictionary<string, object?> parameters, string column, string? value)
    {
        if (value is not null)
        {
            where.Append($" AND {column} = @{column}");
            parameters[column] = value;
        }
    }

    private static DynamicParameters Merge(object values, string name, object? value)
    {
        var parameters = values as DynamicParameters ?? new DynamicParameters(values);
        var copy = new DynamicParameters(parameters);
        copy.Add(name, value);
        return copy;
    }

    private static object Columns(Instance i) => new
    {
        id = i.Id.ToString(),
        internalId = i.InternalId,
        projectId = i.ProjectId,
        name = i.Name,
        vmState = i.VmState,
        taskState = i.TaskState,
        host = i.Host,
        imageId = i.ImageId,
        flavorId = i.Flavor.Id,
        reservationId = i.ReservationId,
        createdAt = DbTime.From(i.CreatedAt),
        updatedAt = DbTime.From(i.UpdatedAt),
        deleted = i.Deleted ? 1 : 0,
        version = i.Version,
        data = JsonSerializer.Serialize(i, InstanceJson.Default.Instance),
    };

    private static Instance Parse(byte[] data) =>
        JsonSerializer.Deserialize(data, InstanceJson.Default.Instance) ?? throw new InvalidDataException("an instance row holds no document");

    private static Instance Parse(string data) =>
        JsonSerializer.Deserialize(data, InstanceJson.Default.Instance) ?? throw new InvalidDataException("an instance row holds no document");

    private sealed record FaultRow(string InstanceId, long Code, string Message, string Details, string? Host, long CreatedAt);

    private sealed record ActionRow(string RequestId, string Action, string UserId, string ProjectId, long StartTime, long? FinishTime, string? Message);

    private sealed record EventRow(string RequestId, string Event, long StartTime, long? FinishTime, string? Result, string? Details, string? Host);
}
