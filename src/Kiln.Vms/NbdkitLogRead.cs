namespace Kiln.Vms;

/// <summary>One read nbdkit's log filter saw complete: when (local time, as nbdkit writes it) and how many bytes.</summary>
public readonly record struct NbdkitLogRead(DateTime CompletedAt, long Bytes);
