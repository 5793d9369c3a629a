using Kiln.Storage.Blocks;

namespace Kiln.Nbd;

/// <summary>
/// One named export. The server never disposes the device: whoever built the stack owns it.
/// </summary>
/// <param name="ReadOnly">Refuse writes even when the device can write (a device that cannot write is always exported read-only).</param>
public sealed record NbdExport(string Name, IBlockDevice Device, bool ReadOnly = false, string? Description = null)
{
    internal bool IsReadOnly => ReadOnly || !Device.CanWrite;
}
