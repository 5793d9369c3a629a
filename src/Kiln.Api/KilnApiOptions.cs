using Kiln.Control.Runs;

namespace Kiln.Api;

/// <summary>How to host Kiln's ARM endpoint.</summary>
public sealed class KilnApiOptions
{
    /// <summary>Folder for the database, certificate, signing key and credentials.json.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// Npgsql connection string of a PostgreSQL database for the control plane's state (several nodes
    /// may share it); null keeps the default, SQLite in <see cref="DataDirectory"/>.
    /// </summary>
    public string? Database { get; init; }

    /// <summary>Port on 127.0.0.1; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 8443;

    /// <summary>Null until the pipeline provides one: runs then end Failed with BuildEngineUnavailable.</summary>
    public IBuildEngine? BuildEngine { get; init; }

    /// <summary>Makes the engine from the control plane (the pipeline engine needs it); wins over <see cref="BuildEngine"/>.</summary>
    public Func<Kiln.Control.ControlPlane, IBuildEngine>? BuildEngineFactory { get; init; }

    /// <summary>Most items one ARM list page holds; more come through its nextLink (tests use 2 to make real clients page).</summary>
    public int ListPageSize { get; init; } = Http.ArmPaging.DefaultPageSize;

    /// <summary>How long finished async-operation records stay pollable, and how often expired ones are deleted.</summary>
    public Kiln.Control.Operations.OperationRetention OperationRetention { get; init; } = Kiln.Control.Operations.OperationRetention.Default;

    public Action<string> Log { get; init; } = message => Console.Error.WriteLine(message);
}
