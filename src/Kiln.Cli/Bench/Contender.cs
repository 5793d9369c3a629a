namespace Kiln.Cli.Bench;

/// <summary>A timed operation; <see cref="Prepare"/> runs before each timing, untimed (e.g. delete the previous output).</summary>
public sealed record Contender(string Name, Func<Task> Prepare, Func<Task> Operation);
