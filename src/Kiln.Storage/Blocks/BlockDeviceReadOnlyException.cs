namespace Kiln.Storage.Blocks;

/// <summary>A write reached a device (or filter) that refuses writes.</summary>
public sealed class BlockDeviceReadOnlyException(string device)
    : BlockDeviceException($"{device} is read-only: writes are refused (stack a copy-on-write overlay to let a guest write).");
