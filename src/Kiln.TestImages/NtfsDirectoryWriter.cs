using System.Runtime.InteropServices;

namespace Kiln.TestImages;

/// <summary>
/// Creates directories inside an NTFS partition image through libntfs-3g, in process and
/// without mounting: ntfs-3g ships no command-line tool that makes directories (ntfscp only
/// copies files into existing ones), and the library's ntfs_mount() merely opens the image
/// file in user space — no kernel or FUSE mount happens.
/// </summary>
public static partial class NtfsDirectoryWriter
{
    private const string Library = "libntfs-3g.so.89";
    private const uint DirectoryMode = 0x4000; // S_IFDIR

    static NtfsDirectoryWriter()
    {
        // The soname carries the library's ABI version; accept whichever one is installed.
        NativeLibrary.SetDllImportResolver(typeof(NtfsDirectoryWriter).Assembly, (name, assembly, path) =>
        {
            if (name != Library) return IntPtr.Zero;
            if (NativeLibrary.TryLoad(name, assembly, path, out var handle)) return handle;
            foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/lib" })
            {
                if (!Directory.Exists(dir)) continue;
                foreach (var candidate in Directory.EnumerateFiles(dir, "libntfs-3g.so.*"))
                    if (NativeLibrary.TryLoad(candidate, out handle)) return handle;
            }
            return IntPtr.Zero;
        });
    }

    /// <summary>Creates each directory (parents first; '/'-separated paths from the volume root).</summary>
    public static void CreateDirectories(string partitionImage, IEnumerable<string> directories)
    {
        var volume = NtfsMount(partitionImage, 0);
        if (volume == IntPtr.Zero)
            throw new InvalidOperationException($"libntfs-3g could not open NTFS volume {partitionImage} (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            foreach (var path in directories.Select(d => d.Trim('/')).OrderBy(d => d.Count(c => c == '/')))
            {
                var slash = path.LastIndexOf('/');
                var parentPath = "/" + (slash < 0 ? "" : path[..slash]);
                var name = slash < 0 ? path : path[(slash + 1)..];
                var parent = NtfsPathnameToInode(volume, IntPtr.Zero, parentPath);
                if (parent == IntPtr.Zero)
                    throw new InvalidOperationException($"NTFS {partitionImage}: parent directory '{parentPath}' of '{path}' not found.");
                try
                {
                    var nameChars = name.Select(c => (ushort)c).ToArray();
                    var created = NtfsCreate(parent, 0, nameChars, (byte)nameChars.Length, DirectoryMode);
                    if (created == IntPtr.Zero)
                        throw new InvalidOperationException($"NTFS {partitionImage}: creating directory '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
                    NtfsInodeClose(created);
                }
                finally
                {
                    NtfsInodeClose(parent);
                }
            }
        }
        finally
        {
            if (NtfsUmount(volume, 0) != 0)
                throw new InvalidOperationException($"libntfs-3g could not close NTFS volume {partitionImage} (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport(Library, EntryPoint = "ntfs_mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr NtfsMount(string name, uint flags);

    [LibraryImport(Library, EntryPoint = "ntfs_umount", SetLastError = true)]
    private static partial int NtfsUmount(IntPtr volume, int force);

    [LibraryImport(Library, EntryPoint = "ntfs_pathname_to_inode", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr NtfsPathnameToInode(IntPtr volume, IntPtr parent, string path);

    // ntfschar is a UTF-16LE code unit: .NET chars as ushort (blittable).
    [LibraryImport(Library, EntryPoint = "ntfs_create", SetLastError = true)]
    private static partial IntPtr NtfsCreate(IntPtr directory, uint securityId, [In] ushort[] name, byte nameLength, uint type);

    [LibraryImport(Library, EntryPoint = "ntfs_inode_close", SetLastError = true)]
    private static partial int NtfsInodeClose(IntPtr inode);
}
