using System.Text.Json.Nodes;
using Kiln.Domain.Identity;
using Kiln.Domain.Operations;
using Kiln.Domain.Runs;
using Npgsql;
using NpgsqlTypes;

namespace Kiln.Control.Persistence;

/// <summary>
/// <see cref="IResourceStore"/> on PostgreSQL, for several control-plane nodes over one database.
/// Same tables and meaning as <see cref="SqliteResourceStore"/> (see <see cref="PostgresSchema"/>);
/// unlike it, no gate: every call takes its own pooled connection from a thread-safe data source,
/// and the create-only insert is race-free through the primary key (ON CONFLICT DO NOTHING).
/// Times are timestamptz (microseconds, read back as UTC), so runs order by instant, not by text.
/// </summary>
public sealed class PostgresResourceStore : IResourceStore
{
    private const string ResourceColumns = "SELECT key, id, type, subscription, body, created_at, changed_at FROM resources";
    private readonly NpgsqlDataSource _source;

    private PostgresResourceStore(NpgsqlDataSource source) => _source = source;

    /// <summary>Connects, creates or checks the schema; every failure is a <see cref="ResourceStoreUnavailableException"/> saying what to fix.</summary>
    public static async Task<PostgresResourceStore> OpenAsync(string connectionString, CancellationToken ct)
    {
        var builder = PostgresOpenErrors.Parse(connectionString);
        var source = NpgsqlDataSource.Create(builder);
        try
        {
            await PostgresSchema.EnsureAsync(source, ct);
            return new PostgresResourceStore(source);
        }
        catch (Exception e) when (e is NpgsqlException or ResourceStoreUnavailableException)
        {
            await source.DisposeAsync();
            throw e as ResourceStoreUnavailableException ?? PostgresOpenErrors.Explain((NpgsqlException)e, builder);
        }
    }

    public async Task<StoredResource?> GetAsync(string key, CancellationToken ct) =>
        (await QueryResourcesAsync($"{ResourceColumns} WHERE key = $1", [key], ct)).FirstOrDefault();

    public async Task<bool> InsertAsync(StoredResource r, CancellationToken ct) =>
        await ExecuteAsync("INSERT INTO resources VALUES($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (key) DO NOTHING", ct, ResourceArgs(r)) == 1;

    public Task UpsertAsync(StoredResource r, CancellationToken ct) =>
        ExecuteAsync("""
            INSERT INTO resources VALUES($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (key) DO UPDATE SET id = excluded.id, type = excluded.type,
                subscription = excluded.subscription, body = excluded.body, created_at = excluded.created_at, changed_at = excluded.changed_at
            """, ct, ResourceArgs(r));

    public Task<IReadOnlyList<StoredResource>> ListAsync(string type, string? underKey, CancellationToken ct) =>
        // '0' is the character after '/', so [prefix/, prefix0) is exactly "keys below prefix"; no LIKE, so '_' and '%' are plain.
        underKey is null
            ? QueryResourcesAsync($"{ResourceColumns} WHERE type = $1 ORDER BY key", [type.ToLowerInvariant()], ct)
            : QueryResourcesAsync($"{ResourceColumns} WHERE type = $1 AND key >= $2 AND key < $3 ORDER BY key",
                [type.ToLowerInvariant(), underKey + "/", underKey + "0"], ct);

    public async Task<ResourcePage> ListPageAsync(string type, string? underKey, string? afterKey, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // As in SQLite: [low, high) is the scope, afterKey moves its low end (keys are "C"-collated), one extra row says "more".
        string sql = $"{ResourceColumns} WHERE type = $1 AND key >= $2 AND key > $3" + (underKey is null ? "" : " AND key < $5") + " ORDER BY key LIMIT $4";
        object[] args = underKey is null
            ? [type.ToLowerInvariant(), "", afterKey ?? "", limit + 1]
            : [type.ToLowerInvariant(), underKey + "/", afterKey ?? "", limit + 1, underKey + "0"];
        var rows = await QueryResourcesAsync(sql, args, ct);
        return rows.Count > limit ? new ResourcePage(rows.Take(limit).ToList(), true) : new ResourcePage(rows, false);
    }

    public Task<int> DeleteTreeAsync(string key, CancellationToken ct) =>
        ExecuteAsync("DELETE FROM resources WHERE key = $1 OR (key >= $2 AND key < $3)", ct, key, key + "/", key + "0");

    public Task PutOperationAsync(OperationRecord operation, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO operations VALUES($1,$2) ON CONFLICT (id) DO UPDATE SET body = excluded.body", ct,
            operation.Id, Json(StoreJson.Write(operation)));

    public async Task<OperationRecord?> GetOperationAsync(string id, CancellationToken ct) =>
        await ScalarAsync("SELECT body FROM operations WHERE id = $1", ct, id) is { } body ? StoreJson.Read<OperationRecord>(body) : null;

    public Task<int> PruneOperationsAsync(DateTimeOffset endedBefore, CancellationToken ct) =>
        ExecuteAsync("DELETE FROM operations WHERE body->>'status' <> 'InProgress' AND body->>'endTime' IS NOT NULL " +
                     "AND (body->>'endTime')::timestamptz < $1", ct, endedBefore.ToUniversalTime());

    public Task PutRunAsync(RunRecord run, CancellationToken ct) =>
        ExecuteAsync("""
            INSERT INTO runs VALUES($1,$2,$3,$4,$5) ON CONFLICT (id) DO UPDATE SET template_key = excluded.template_key,
                terminal = excluded.terminal, start_time = excluded.start_time, body = excluded.body
            """, ct, run.Id, run.TemplateKey, run.IsTerminal, run.StartTime.ToUniversalTime(), Json(StoreJson.Write(run)));

    public async Task<RunRecord?> GetRunAsync(string id, CancellationToken ct) =>
        await ScalarAsync("SELECT body FROM runs WHERE id = $1", ct, id) is { } body ? StoreJson.Read<RunRecord>(body) : null;

    public async Task<IReadOnlyList<RunRecord>> ListActiveRunsAsync(CancellationToken ct) =>
        (await QueryStringsAsync("SELECT body FROM runs WHERE NOT terminal ORDER BY start_time, id", [], ct))
        .Select(StoreJson.Read<RunRecord>).ToList();

    public async Task<RunRecord?> GetLatestRunAsync(string templateKey, CancellationToken ct) =>
        await ScalarAsync("SELECT body FROM runs WHERE template_key = $1 ORDER BY start_time DESC LIMIT 1", ct, templateKey) is { } body
            ? StoreJson.Read<RunRecord>(body) : null;

    public async Task PutPrincipalAsync(Principal p, CancellationToken ct)
    {
        // SQLite's INSERT OR REPLACE also drops another principal holding this client id; do the same in one transaction.
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                Batch("DELETE FROM principals WHERE client_id = $2 AND object_id <> $1"),
                Batch("INSERT INTO principals VALUES($1,$2,$3) ON CONFLICT (object_id) DO UPDATE SET client_id = excluded.client_id, body = excluded.body"),
            },
        };
        object[] args = [p.ObjectId.ToLowerInvariant(), p.ClientId.ToLowerInvariant(), Json(StoreJson.Write(p))];
        AddArgs(batch.BatchCommands[0].Parameters, args[..2]);
        AddArgs(batch.BatchCommands[1].Parameters, args);
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<Principal?> GetPrincipalAsync(string objectId, CancellationToken ct) =>
        await ScalarAsync("SELECT body FROM principals WHERE object_id = $1", ct, objectId.ToLowerInvariant()) is { } body
            ? StoreJson.Read<Principal>(body) : null;

    public async Task<Principal?> FindPrincipalByClientIdAsync(string clientId, CancellationToken ct) =>
        await ScalarAsync("SELECT body FROM principals WHERE client_id = $1", ct, clientId.ToLowerInvariant()) is { } body
            ? StoreJson.Read<Principal>(body) : null;

    public Task DeletePrincipalAsync(string objectId, CancellationToken ct) =>
        ExecuteAsync("DELETE FROM principals WHERE object_id = $1", ct, objectId.ToLowerInvariant());

    public Task<string?> GetSettingAsync(string name, CancellationToken ct) =>
        ScalarAsync("SELECT value FROM settings WHERE name = $1", ct, name);

    public Task SetSettingAsync(string name, string value, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO settings VALUES($1,$2) ON CONFLICT (name) DO UPDATE SET value = excluded.value", ct, name, value);

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <summary>A JSON text parameter typed json (a plain string would be sent as text and refused by the json column).</summary>
    private static NpgsqlParameter Json(string text) => new() { Value = text, NpgsqlDbType = NpgsqlDbType.Json };

    private static object[] ResourceArgs(StoredResource r) =>
        [r.Key, r.Id, r.Type.ToLowerInvariant(), r.Subscription, Json(r.Body.ToJsonString()), r.CreatedAt.ToUniversalTime(), r.ChangedAt.ToUniversalTime()];

    private static NpgsqlBatchCommand Batch(string sql) => new(sql);

    private static void AddArgs(NpgsqlParameterCollection parameters, IEnumerable<object> args)
    {
        foreach (var arg in args)
            parameters.Add(arg as NpgsqlParameter ?? new NpgsqlParameter { Value = arg });
    }

    private NpgsqlCommand Command(string sql, IReadOnlyList<object> args)
    {
        var cmd = _source.CreateCommand(sql);
        AddArgs(cmd.Parameters, args);
        return cmd;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = Command(sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<string?> ScalarAsync(string sql, CancellationToken ct, params object[] args) =>
        (await QueryStringsAsync(sql, args, ct)).FirstOrDefault();

    private async Task<List<string>> QueryStringsAsync(string sql, IReadOnlyList<object> args, CancellationToken ct)
    {
        await using var cmd = Command(sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var result = new List<string>();
        while (await reader.ReadAsync(ct))
            result.Add(reader.GetString(0));
        return result;
    }

    private async Task<IReadOnlyList<StoredResource>> QueryResourcesAsync(string sql, IReadOnlyList<object> args, CancellationToken ct)
    {
        await using var cmd = Command(sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var result = new List<StoredResource>();
        while (await reader.ReadAsync(ct))
        {
            var body = JsonNode.Parse(reader.GetString(4)) as JsonObject
                ?? throw new InvalidDataException($"Stored resource '{reader.GetString(0)}' has a body that is not a JSON object.");
            result.Add(new StoredResource(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), body,
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return result;
    }
}
