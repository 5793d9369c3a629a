namespace Kiln.Control.Persistence;

/// <summary>Picks the store: PostgreSQL when a connection string is given, else SQLite (kiln.db) in the data folder.</summary>
public static class ResourceStores
{
    public const string SqliteFileName = "kiln.db";

    public static async Task<IResourceStore> OpenAsync(string? database, string dataDir, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(database))
            return await PostgresResourceStore.OpenAsync(database, ct);
        Directory.CreateDirectory(dataDir);
        return await SqliteResourceStore.OpenAsync(Path.Combine(dataDir, SqliteFileName), ct);
    }
}
