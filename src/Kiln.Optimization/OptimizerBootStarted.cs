namespace Kiln.Optimization;

/// <summary>One traced boot has started: boot number (1-based), the QEMU VM name, the run's private temp folder.</summary>
public sealed record OptimizerBootStarted(int Boot, string VmName, string WorkDirectory);
