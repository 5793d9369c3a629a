namespace Kiln.Optimization.Profiles;

/// <summary>One read that reached the image during a traced boot, at <paramref name="Seconds"/> after the boot started.</summary>
public readonly record struct TracedRead(double Seconds, long Offset, long Length);
