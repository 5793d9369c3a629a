using Kiln.Domain.Identity;
using Kiln.Domain.Operations;
using Kiln.Domain.Runs;

namespace Kiln.Control.Persistence;

/// <summary>
/// Durable state of the control plane: resources (JSON documents keyed by lower-case ARM id),
/// long-running operations, runs, directory principals and a few settings. SQLite is the default
/// (<see cref="SqliteResourceStore"/>), PostgreSQL the engine for several nodes
/// (<see cref="PostgresResourceStore"/>; <see cref="ResourceStores"/> picks). Keys are ordinal strings,
/// "under" is a key-prefix range, every write is a single-row upsert or a prefix delete; the
/// contract tests (tests/Kiln.Control.Tests/Persistence) run the same cases on both.
/// </summary>
public interface IResourceStore : IAsyncDisposable
{
    Task<StoredResource?> GetAsync(string key, CancellationToken ct);

    /// <summary>Inserts only when the key is free; false when it exists (create-only semantics without a race).</summary>
    Task<bool> InsertAsync(StoredResource resource, CancellationToken ct);

    Task UpsertAsync(StoredResource resource, CancellationToken ct);

    /// <summary>Resources of <paramref name="type"/> (case-insensitive) whose key is <paramref name="underKey"/> + "/…"; every one when null.</summary>
    Task<IReadOnlyList<StoredResource>> ListAsync(string type, string? underKey, CancellationToken ct);

    /// <summary>
    /// At most <paramref name="limit"/> resources of <see cref="ListAsync"/>'s set whose key is greater than
    /// <paramref name="afterKey"/> (from the start when null), in key order: keyset paging done by the query.
    /// </summary>
    Task<ResourcePage> ListPageAsync(string type, string? underKey, string? afterKey, int limit, CancellationToken ct);

    /// <summary>Deletes the resource and everything below it (child and extension resources); returns how many rows went.</summary>
    Task<int> DeleteTreeAsync(string key, CancellationToken ct);

    Task PutOperationAsync(OperationRecord operation, CancellationToken ct);
    Task<OperationRecord?> GetOperationAsync(string id, CancellationToken ct);

    /// <summary>Deletes terminal operations that ended before <paramref name="endedBefore"/>; running ones stay. Returns how many went.</summary>
    Task<int> PruneOperationsAsync(DateTimeOffset endedBefore, CancellationToken ct);

    Task PutRunAsync(RunRecord run, CancellationToken ct);
    Task<RunRecord?> GetRunAsync(string id, CancellationToken ct);

    /// <summary>Runs not yet in a terminal state, oldest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListActiveRunsAsync(CancellationToken ct);

    /// <summary>The newest run of a template (by start time), terminal or not.</summary>
    Task<RunRecord?> GetLatestRunAsync(string templateKey, CancellationToken ct);

    Task PutPrincipalAsync(Principal principal, CancellationToken ct);
    Task<Principal?> GetPrincipalAsync(string objectId, CancellationToken ct);
    Task<Principal?> FindPrincipalByClientIdAsync(string clientId, CancellationToken ct);
    Task DeletePrincipalAsync(string objectId, CancellationToken ct);

    Task<string?> GetSettingAsync(string name, CancellationToken ct);
    Task SetSettingAsync(string name, string value, CancellationToken ct);
}
