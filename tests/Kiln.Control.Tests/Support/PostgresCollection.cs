namespace Kiln.Tests.Support;

/// <summary>Test classes in this collection share one <see cref="PostgresCluster"/> (one initdb per run; a database per test).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
