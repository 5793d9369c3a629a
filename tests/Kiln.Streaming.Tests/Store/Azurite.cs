using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Kiln.Streaming.Tests.Store;

/// <summary>
/// A private Azurite blob service for the test run (npm package, installed by
/// scripts/test-setup.d/azurite.sh): 127.0.0.1 on a free port, data in a temp folder; both go on dispose.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    /// <summary>Azurite's built-in development account (documented publicly; not a secret).</summary>
    public const string Account = "devstoreaccount1";
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _data = Directory.CreateTempSubdirectory("kiln-azurite-").FullName;
    private Process? _process;

    public int Port { get; private set; }

    public Uri ContainerUri(string container) => new($"http://127.0.0.1:{Port}/{Account}/{container}");

    public BlobContainerClient Container(string container, string key = Key) =>
        new(ContainerUri(container), new StorageSharedKeyCredential(Account, key));

    public async Task InitializeAsync()
    {
        var bin = Path.Combine(RepoRoot(), ".cache", "azurite", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(bin))
            throw new InvalidOperationException($"Azurite is not installed at {bin}: run scripts/test-setup.d/azurite.sh (./test.sh does).");
        Port = FreePort();
        var psi = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--location", _data, "--silent", "--skipApiVersionCheck", "--loose" })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (!await ListensAsync())
        {
            if (_process.HasExited) throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening on {Port}.");
            if (waited.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"Azurite did not listen on {Port} within 60 s.");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    private async Task<bool> ListensAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        if (Environment.GetEnvironmentVariable("KILN_HOME") is { Length: > 0 } home && File.Exists(Path.Combine(home, "Kiln.slnx"))) return home;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kiln.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Kiln.slnx) above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "azurite";
}
