using System.Diagnostics;
using Npgsql;

namespace Kiln.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for one test run: initdb into a temp folder, postmaster on a
/// unix socket in that folder only (no TCP), trust auth for the superuser "postgres". Stopped and
/// deleted on dispose. postgres refuses to run as root, so as root every server tool runs through
/// <c>runuser -u postgres</c> over a folder handed to that user. scripts/test-setup.d/postgresql.sh installs it.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private string _root = "";
    private string _data = "";
    private string _bin = "";

    /// <summary>The socket folder, i.e. Host= of every connection string.</summary>
    public string SocketDir { get; private set; } = "";

    public string ConnectionString(string database, string user = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = SocketDir, Database = database, Username = user, Pooling = true }.ToString();

    public async Task InitializeAsync()
    {
        _bin = FindBin();
        _root = Directory.CreateTempSubdirectory("kiln-pg-").FullName;
        _data = Path.Combine(_root, "data");
        SocketDir = Path.Combine(_root, "sock");
        try
        {
            Directory.CreateDirectory(SocketDir);
            if (Environment.UserName == "root")
                await RunAsync("chown", ["-R", "postgres:", _root]);
            await RunServerToolAsync("initdb", ["-D", _data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"]);
            // Durability is irrelevant for a throwaway cluster; skipping fsync keeps CREATE DATABASE cheap on a shared disk.
            await RunServerToolAsync("pg_ctl", ["start", "-w", "-D", _data, "-l", Path.Combine(_root, "server.log"),
                "-o", $"-k {SocketDir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"]);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // xunit does not dispose a fixture whose start failed: stop whatever did start and remove the folder here.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A new empty database (owned by postgres) for one test; its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}");
        return name;
    }

    /// <summary>Runs SQL as the superuser in <paramref name="database"/>.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
                await RunServerToolAsync("pg_ctl", ["stop", "-D", _data, "-m", "immediate", "-w"]);
        }
        finally
        {
            if (_root.Length > 0 && Directory.Exists(_root))
                Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The newest /usr/lib/postgresql/&lt;version&gt;/bin (Debian's layout).</summary>
    private static string FindBin()
    {
        const string lib = "/usr/lib/postgresql";
        var bin = Directory.Exists(lib)
            ? Directory.GetDirectories(lib)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out int v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version).Select(d => Path.Combine(d.Dir, "bin")).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"No PostgreSQL server under {lib}; run scripts/test-setup.d/postgresql.sh (or ./test.sh) to install it.");
    }

    private Task RunServerToolAsync(string tool, string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}{await stdout}");
    }
}
