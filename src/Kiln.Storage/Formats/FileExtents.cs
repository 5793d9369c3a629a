using System.Runtime.InteropServices;
using Kiln.Storage.Blocks;
using Microsoft.Win32.SafeHandles;

namespace Kiln.Storage.Formats;

/// <summary>
/// Finds the data (non-hole) ranges of a sparse file with lseek(SEEK_DATA/SEEK_HOLE), so copies
/// and extent reports skip holes. Where the platform or file system cannot tell, the whole range
/// counts as data (always correct, just slower).
/// </summary>
internal static partial class FileExtents
{
    private const int SeekData = 3, SeekHole = 4; // Linux <unistd.h>
    private const int Enxio = 6;                  // no data at or after the offset

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(SafeFileHandle fd, long offset, int whence);

    /// <summary>Data ranges of the file inside [<paramref name="start"/>, <paramref name="end"/>), ascending.</summary>
    public static IEnumerable<Extent> Data(SafeFileHandle handle, long start, long end)
    {
        if (start >= end) yield break;
        if (!OperatingSystem.IsLinux())
        {
            yield return new Extent(start, end - start);
            yield break;
        }
        long pos = start;
        // Each step moves pos strictly forward, so the loop ends within the file size.
        while (pos < end)
        {
            long data = LSeek(handle, pos, SeekData);
            if (data < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Enxio) yield break;
                yield return new Extent(pos, end - pos); // EINVAL etc.: cannot tell, count as data
                yield break;
            }
            if (data >= end) yield break;
            long hole = LSeek(handle, data, SeekHole);
            if (hole < 0 || hole <= data) hole = end;
            hole = Math.Min(hole, end);
            yield return new Extent(data, hole - data);
            pos = hole;
        }
    }
}
