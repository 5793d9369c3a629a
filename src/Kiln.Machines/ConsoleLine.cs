namespace Kiln.Machines;

/// <summary>One serial console line (control sequences removed) and when it arrived, in seconds since QEMU started.</summary>
public sealed record ConsoleLine(double Seconds, string Text);
