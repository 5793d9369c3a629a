using System.Net.Sockets;
using Npgsql;

namespace Kiln.Control.Persistence;

/// <summary>
/// Turns what Npgsql throws while opening into one sentence that names the connection-string
/// field at fault and the fix. The password is never echoed.
/// </summary>
internal static class PostgresOpenErrors
{
    private const string Example = "e.g. 'Host=db.example.com;Database=kiln;Username=kiln;Password=…' or 'Host=/var/run/postgresql;Database=kiln'";

    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new ResourceStoreUnavailableException($"the PostgreSQL connection string is not valid ({e.Message}); write Key=Value pairs, {Example}.", e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ResourceStoreUnavailableException($"the PostgreSQL connection string has no Host; add one, {Example}.");
        return builder;
    }

    public static ResourceStoreUnavailableException Explain(NpgsqlException e, NpgsqlConnectionStringBuilder cs)
    {
        string where = cs.Host!.StartsWith('/') ? $"socket {cs.Host}/.s.PGSQL.{cs.Port}" : $"{cs.Host}:{cs.Port}";
        string user = cs.Username ?? Environment.UserName;
        string database = cs.Database ?? user;
        string message = e switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } p =>
                $"PostgreSQL at {where} refused user '{user}' ({p.MessageText}); check Username and Password in the connection string, " +
                "or the server's pg_hba.conf.",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"database '{database}' does not exist on {where}; create it (createdb -O {user} {database}) or name another with Database=.",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } p =>
                $"user '{user}' may not create Kiln's tables in database '{database}' ({p.MessageText}); grant it CREATE on the schema " +
                $"(GRANT CREATE ON SCHEMA public TO {user}) or start Kiln once as the database owner.",
            PostgresException p => $"PostgreSQL at {where} answered {p.SqlState}: {p.MessageText}.",
            // A missing socket folder surfaces as an odd socket error; say what Host= should be instead.
            _ when cs.Host.StartsWith('/') && !Directory.Exists(cs.Host) =>
                $"cannot reach PostgreSQL: the socket folder {cs.Host} does not exist; Host= takes the folder holding .s.PGSQL.{cs.Port} " +
                "(e.g. /var/run/postgresql) or a host name.",
            _ when e.InnerException is SocketException or TimeoutException or IOException =>
                $"cannot reach PostgreSQL at {where} ({e.InnerException!.Message}); check Host and Port and that the server is running.",
            _ => $"cannot open PostgreSQL at {where} ({e.Message}); check the connection string, {Example}.",
        };
        return new ResourceStoreUnavailableException(message, e);
    }
}
