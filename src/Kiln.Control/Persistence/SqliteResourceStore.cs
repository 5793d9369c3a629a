using System.Text.Json.Nodes;
using Kiln.Domain.Identity;
using Kiln.Domain.Operations;
using Kiln.Domain.Runs;
using Microsoft.Data.Sqlite;

namespace Kiln.Control.Persistence;

/// <summary>
/// <see cref="IResourceStore"/> on one SQLite file (WAL). One connection, writes serialized by a
/// semaphore: the control plane's write rate is tiny and this keeps SQLite's locking out of sight.
/// <code>
///   resources(key PK, id, type, subscription, body, created_at, changed_at)
///   operations(id PK, body)   runs(id PK, template_key, terminal, start_time, body)
///   principals(object_id PK, client_id UNIQUE, body)   settings(name PK, value)
/// </code>
/// </summary>
public sealed class SqliteResourceStore : IResourceStore
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteResourceStore(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteResourceStore> OpenAsync(string path, CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(ct);
        var store = new SqliteResourceStore(connection);
        await store.ExecuteAsync("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS resources(key TEXT PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL,
                subscription TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, changed_at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS resources_type ON resources(type, key);
            CREATE TABLE IF NOT EXISTS operations(id TEXT PRIMARY KEY, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS runs(id TEXT PRIMARY KEY, template_key TEXT NOT NULL, terminal INTEGER NOT NULL,
                start_time TEXT NOT NULL, body TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS runs_template ON runs(template_key, start_time);
            CREATE TABLE IF NOT EXISTS principals(object_id TEXT PRIMARY KEY, client_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS settings(name TEXT PRIMARY KEY, value TEXT NOT NULL);
            """, ct);
        return store;
    }

    public async Task<StoredResource?> GetAsync(string key, CancellationToken ct)
    {
        var rows = await QueryResourcesAsync("SELECT key, id, type, subscription, body, created_at, changed_at FROM resources WHERE key = $a",
            [key], ct);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> InsertAsync(StoredResource r, CancellationToken ct) =>
        await ExecuteAsync("INSERT OR IGNORE INTO resources VALUES($a,$b,$c,$d,$e,$f,$g)", ct,
            r.Key, r.Id, r.Type.ToLowerInvariant(), r.Subscription, r.Body.ToJsonString(), r.CreatedAt.ToString("O"), r.ChangedAt.ToString("O")) == 1;

    public async Task UpsertAsync(StoredResource r, CancellationToken ct) =>
        await ExecuteAsync("INSERT OR REPLACE INTO resources VALUES($a,$b,$c,$d,$e,$f,$g)", ct,
            r.Key, r.Id, r.Type.ToLowerInvariant(), r.Subscription, r.Body.ToJsonString(), r.CreatedAt.ToString("O"), r.ChangedAt.ToString("O"));

    public Task<IReadOnlyList<StoredResource>> ListAsync(string type, string? underKey, CancellationToken ct)
    {
        const string columns = "SELECT key, id, type, subscription, body, created_at, changed_at FROM resources";
        // '0' is the character after '/', so [prefix/, prefix0) is exactly "keys below prefix".
        return underKey is null
            ? QueryResourcesAsync($"{columns} WHERE type = $a ORDER BY key", [type.ToLowerInvariant()], ct)
            : QueryResourcesAsync($"{columns} WHERE type = $a AND key >= $b AND key < $c ORDER BY key",
                [type.ToLowerInvariant(), underKey + "/", underKey + "0"], ct);
    }

    public async Task<ResourcePage> ListPageAsync(string type, string? underKey, string? afterKey, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // The range [low, high) is "keys below underKey" (or the whole type); afterKey moves its low end. One row more than asked says whether more remain.
        string low = underKey is null ? "" : underKey + "/";
        string sql = "SELECT key, id, type, subscription, body, created_at, changed_at FROM resources WHERE type = $a AND key >= $b AND key > $c"
                     + (underKey is null ? "" : " AND key < $e") + " ORDER BY key LIMIT $d";
        object[] args = underKey is null
            ? [type.ToLowerInvariant(), low, afterKey ?? "", limit + 1]
            : [type.ToLowerInvariant(), low, afterKey ?? "", limit + 1, underKey + "0"];
        var rows = await QueryResourcesAsync(sql, args, ct);
        return rows.Count > limit ? new ResourcePage(rows.Take(limit).ToList(), true) : new ResourcePage(rows, false);
    }

    public async Task<int> DeleteTreeAsync(string key, CancellationToken ct) =>
        await ExecuteAsync("DELETE FROM resources WHERE key = $a OR (key >= $b AND key < $c)", ct, key, key + "/", key + "0");

    public Task PutOperationAsync(OperationRecord operation, CancellationToken ct) =>
        ExecuteAsync("INSERT OR REPLACE INTO operations VALUES($a,$b)", ct, operation.Id, StoreJson.Write(operation));

    public async Task<OperationRecord?> GetOperationAsync(string id, CancellationToken ct)
    {
        var body = await ScalarAsync("SELECT body FROM operations WHERE id = $a", ct, id);
        return body is null ? null : StoreJson.Read<OperationRecord>(body);
    }

    public Task<int> PruneOperationsAsync(DateTimeOffset endedBefore, CancellationToken ct) =>
        // julianday reads the ISO text with its offset, so rows written at any offset compare as instants. The cutoff
        // keeps its full precision: cut to milliseconds, a record that ended within the cutoff's millisecond stayed.
        ExecuteAsync("DELETE FROM operations WHERE json_extract(body, '$.status') <> 'InProgress' AND json_extract(body, '$.endTime') IS NOT NULL " +
                     "AND julianday(json_extract(body, '$.endTime')) < julianday($a)", ct, endedBefore.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture));

    public Task PutRunAsync(RunRecord run, CancellationToken ct) =>
        ExecuteAsync("INSERT OR REPLACE INTO runs VALUES($a,$b,$c,$d,$e)", ct,
            run.Id, run.TemplateKey, run.IsTerminal ? 1 : 0, run.StartTime.ToString("O"), StoreJson.Write(run));

    public async Task<RunRecord?> GetRunAsync(string id, CancellationToken ct)
    {
        var body = await ScalarAsync("SELECT body FROM runs WHERE id = $a", ct, id);
        return body is null ? null : StoreJson.Read<RunRecord>(body);
    }

    public async Task<IReadOnlyList<RunRecord>> ListActiveRunsAsync(CancellationToken ct) =>
        (await QueryStringsAsync("SELECT body FROM runs WHERE terminal = 0 ORDER BY start_time", [], ct))
        .Select(StoreJson.Read<RunRecord>).ToList();

    public async Task<RunRecord?> GetLatestRunAsync(string templateKey, CancellationToken ct)
    {
        var body = await ScalarAsync("SELECT body FROM runs WHERE template_key = $a ORDER BY start_time DESC LIMIT 1", ct, templateKey);
        return body is null ? null : StoreJson.Read<RunRecord>(body);
    }

    public Task PutPrincipalAsync(Principal p, CancellationToken ct) =>
        ExecuteAsync("INSERT OR REPLACE INTO principals VALUES($a,$b,$c)", ct, p.ObjectId.ToLowerInvariant(),
            p.ClientId.ToLowerInvariant(), StoreJson.Write(p));

    public async Task<Principal?> GetPrincipalAsync(string objectId, CancellationToken ct)
    {
        var body = await ScalarAsync("SELECT body FROM principals WHERE object_id = $a", ct, objectId.ToLowerInvariant());
        return body is null ? null : StoreJson.Read<Principal>(body);
    }

    public async Task<Principal?> FindPrincipalByClientIdAsync(string clientId, CancellationToken ct)
    {
        var body = await ScalarAsync("SELECT body FROM principals WHERE client_id = $a", ct, clientId.ToLowerInvariant());
        return body is null ? null : StoreJson.Read<Principal>(body);
    }

    public Task DeletePrincipalAsync(string objectId, CancellationToken ct) =>
        ExecuteAsync("DELETE FROM principals WHERE object_id = $a", ct, objectId.ToLowerInvariant());

    public Task<string?> GetSettingAsync(string name, CancellationToken ct) =>
        ScalarAsync("SELECT value FROM settings WHERE name = $a", ct, name);

    public Task SetSettingAsync(string name, string value, CancellationToken ct) =>
        ExecuteAsync("INSERT OR REPLACE INTO settings VALUES($a,$b)", ct, name, value);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await _connection.DisposeAsync();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private static readonly string[] ParameterNames = ["$a", "$b", "$c", "$d", "$e", "$f", "$g"];

    private SqliteCommand Command(string sql, IReadOnlyList<object> args)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        for (int i = 0; i < args.Count; i++)
            cmd.Parameters.AddWithValue(ParameterNames[i], args[i]);
        return cmd;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params object[] args)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var cmd = Command(sql, args);
            return await cmd.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string?> ScalarAsync(string sql, CancellationToken ct, params object[] args) =>
        (await QueryStringsAsync(sql, args, ct)).FirstOrDefault();

    private async Task<List<string>> QueryStringsAsync(string sql, IReadOnlyList<object> args, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var cmd = Command(sql, args);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var result = new List<string>();
            while (await reader.ReadAsync(ct))
                result.Add(reader.GetString(0));
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<StoredResource>> QueryResourcesAsync(string sql, IReadOnlyList<object> args, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var cmd = Command(sql, args);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var result = new List<StoredResource>();
            while (await reader.ReadAsync(ct))
            {
                var body = JsonNode.Parse(reader.GetString(4)) as JsonObject
                    ?? throw new InvalidDataException($"Stored resource '{reader.GetString(0)}' has a body that is not a JSON object.");
                result.Add(new StoredResource(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), body,
                    DateTimeOffset.Parse(reader.GetString(5), System.Globalization.CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(reader.GetString(6), System.Globalization.CultureInfo.InvariantCulture)));
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
