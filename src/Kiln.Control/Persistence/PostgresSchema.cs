using Npgsql;

namespace Kiln.Control.Persistence;

/// <summary>
/// Kiln's tables in PostgreSQL, created on open and versioned by the one row of kiln_schema.
/// Keys use the "C" collation: byte order, so ORDER BY and the [prefix/, prefix0) ranges mean
/// exactly what they mean in SQLite (BINARY), whatever the database's default collation is.
/// Bodies are <c>json</c> (not jsonb), which keeps the document's text and key order as written.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Bump with a migration step in <see cref="EnsureAsync"/> when the tables change.</summary>
    public const int Version = 1;

    // Any constant shared by every Kiln node: serializes concurrent first starts against one database.
    private const long CreateLock = 0x4b494c4e_00000001;

    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS kiln_schema(id int PRIMARY KEY CHECK (id = 1), version int NOT NULL);
        CREATE TABLE IF NOT EXISTS resources(key text COLLATE "C" PRIMARY KEY, id text NOT NULL, type text COLLATE "C" NOT NULL,
            subscription text NOT NULL, body json NOT NULL, created_at timestamptz NOT NULL, changed_at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS resources_type ON resources(type, key);
        CREATE TABLE IF NOT EXISTS operations(id text PRIMARY KEY, body json NOT NULL);
        CREATE TABLE IF NOT EXISTS runs(id text PRIMARY KEY, template_key text NOT NULL, terminal boolean NOT NULL,
            start_time timestamptz NOT NULL, body json NOT NULL);
        CREATE INDEX IF NOT EXISTS runs_template ON runs(template_key, start_time);
        CREATE INDEX IF NOT EXISTS runs_active ON runs(start_time) WHERE NOT terminal;
        CREATE TABLE IF NOT EXISTS principals(object_id text PRIMARY KEY, client_id text NOT NULL UNIQUE, body json NOT NULL);
        CREATE TABLE IF NOT EXISTS settings(name text PRIMARY KEY, value text NOT NULL);
        """;

    /// <summary>
    /// Creates the tables when missing. A database already at <see cref="Version"/> is only read,
    /// so a login with DML rights alone (tables made by an owner) can run Kiln.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        if (await ReadVersionAsync(connection, null, ct) == Version)
            return;
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({CreateLock})", connection, tx))
            await lockCmd.ExecuteNonQueryAsync(ct);
        int? found = await ReadVersionAsync(connection, tx, ct);
        if (found is null)
        {
            // Another node may have made the tables while we waited for the lock and this backend's catalog view can lag
            // (an advisory lock brings no catalog refresh), so every statement tolerates "already there".
            await using var create = new NpgsqlCommand(CreateSql + $"\nINSERT INTO kiln_schema VALUES (1, {Version}) ON CONFLICT (id) DO NOTHING;",
                connection, tx);
            await create.ExecuteNonQueryAsync(ct);
            found = await ReadVersionAsync(connection, tx, ct);
        }
        if (found > Version)
            throw new ResourceStoreUnavailableException(
                $"the database holds Kiln schema version {found}, newer than this Kiln understands ({Version}); " +
                "run a newer Kiln, or point --database at another database.");
        // found < Version: migration steps go here, one per version, before the row is bumped.
        await tx.CommitAsync(ct);
    }

    private static async Task<int?> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct)
    {
        // to_regclass is null (not an error) while the table does not exist yet.
        await using var exists = new NpgsqlCommand("SELECT to_regclass('kiln_schema') IS NOT NULL", connection, tx);
        if (await exists.ExecuteScalarAsync(ct) is not true)
            return null;
        await using var read = new NpgsqlCommand("SELECT version FROM kiln_schema WHERE id = 1", connection, tx);
        return await read.ExecuteScalarAsync(ct) is int v ? v : null;
    }
}
