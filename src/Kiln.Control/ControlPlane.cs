using Kiln.Control.Galleries;
using Kiln.Control.Identity;
using Kiln.Control.Operations;
using Kiln.Control.Persistence;
using Kiln.Control.Runs;

namespace Kiln.Control;

/// <summary>
/// The control plane's services over one store: directory, operations, runs (with their worker)
/// and image versions. Owns the store and the worker; dispose to stop both.
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private ControlPlane(IResourceStore store, TimeProvider clock, Func<ControlPlane, IBuildEngine>? engine, Action<string> log, TimeSpan pollInterval,
        OperationRetention retention)
    {
        Store = store;
        Clock = clock;
        Directory = new TenantDirectory(store, clock);
        Operations = new OperationTracker(store, clock);
        OperationPruner = new OperationPruner(store, clock, retention, log);
        Runs = new ImageTemplateRuns(store, Operations, clock);
        ImageVersions = new GalleryImageVersions(store, clock);
        _log = log;
        VersionStorage = new GalleryVersionStorage(store, null, log);
        // The engine is made last: it builds on this plane's store, runs and image versions.
        Worker = new RunWorker(store, Runs, engine?.Invoke(this), log, pollInterval);
    }

    private readonly Action<string> _log;

    public IResourceStore Store { get; }

    /// <summary>The data folder (null for a plane made over a store without one).</summary>
    public string? DataDirectory { get; private set; }
    public TimeProvider Clock { get; }
    public TenantDirectory Directory { get; }
    public OperationTracker Operations { get; }
    public OperationPruner OperationPruner { get; }
    public ImageTemplateRuns Runs { get; }
    public GalleryImageVersions ImageVersions { get; }
    public RunWorker Worker { get; }

    /// <summary>Deletes resource trees and frees the region storage of the gallery versions among them; the Api's deletes go through it.</summary>
    public GalleryVersionStorage VersionStorage { get; private set; }

    /// <summary>Opens (or creates) the SQLite store (kiln.db) in <paramref name="dataDir"/> and starts the run worker.</summary>
    public static Task<ControlPlane> OpenAsync(string dataDir, IBuildEngine? engine, Action<string> log, CancellationToken ct) =>
        OpenAsync(dataDir, engine is null ? null : _ => engine, log, ct);

    /// <summary>As above, with an engine made from the plane (the pipeline engine needs its store and services).</summary>
    public static async Task<ControlPlane> OpenAsync(string dataDir, Func<ControlPlane, IBuildEngine>? engine, Action<string> log, CancellationToken ct)
    {
        var store = await ResourceStores.OpenAsync(database: null, dataDir, ct);
        return await OpenAsync(store, dataDir, engine, log, ct);
    }

    /// <summary>
    /// Over a store the caller opened (PostgreSQL, see <see cref="ResourceStores"/>); the plane owns it from here on,
    /// also when starting fails. <paramref name="dataDir"/> still holds what is not in the store (images, builds).
    /// </summary>
    public static Task<ControlPlane> OpenAsync(IResourceStore store, string dataDir, Func<ControlPlane, IBuildEngine>? engine,
        Action<string> log, CancellationToken ct) =>
        OpenAsync(store, dataDir, engine, log, OperationRetention.Default, ct);

    /// <summary>As above, keeping finished operation records for <paramref name="retention"/> (pruned at start and periodically).</summary>
    public static async Task<ControlPlane> OpenAsync(IResourceStore store, string dataDir, Func<ControlPlane, IBuildEngine>? engine,
        Action<string> log, OperationRetention retention, CancellationToken ct)
    {
        ControlPlane? plane = null;
        try
        {
            System.IO.Directory.CreateDirectory(dataDir);
            plane = new ControlPlane(store, TimeProvider.System, engine, log, TimeSpan.FromSeconds(1), retention);
            plane.DataDirectory = Path.GetFullPath(dataDir);
            plane.VersionStorage = new GalleryVersionStorage(store, plane.DataDirectory, plane._log);
            await plane.OperationPruner.StartAsync(ct);
            await plane.Worker.StartAsync(ct);
            return plane;
        }
        catch
        {
            // Rethrown at once; only what this call took ownership of is released.
            if (plane is not null)
                await plane.DisposeAsync();
            else
                await store.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.DisposeAsync();
        await OperationPruner.DisposeAsync();
        await Store.DisposeAsync();
    }
}
