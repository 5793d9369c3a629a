namespace Kiln.Storage.Stack;

/// <summary>One read that reached the traced device.</summary>
/// <param name="Time">Since the trace started (<see cref="BootTraceFilter.Started"/>), when the read arrived.</param>
public readonly record struct BootTraceRead(TimeSpan Time, long Offset, int Length)
{
    public long End => Offset + Length;
}
