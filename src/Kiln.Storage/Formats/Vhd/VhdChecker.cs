using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// Checks a VHD's structure beyond what opening it checks (qemu-img check has no VHD support):
/// footer copy equal to the trailing footer, no two blocks overlapping, no block over the
/// trailing footer, no BAT entries past the disk, a fixed disk exactly data + footer long.
/// </summary>
public static class VhdChecker
{
    /// <summary>Every problem found, each naming the structure and offset; empty when the VHD is consistent.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(string path, CancellationToken ct = default)
    {
        var problems = new List<string>();
        await using var image = await VhdReader.OpenAsync(path, writable: false, ct).ConfigureAwait(false);
        problems.AddRange(image.Warnings);
        long fileLength = new FileInfo(path).Length;
        switch (image.Device)
        {
            case VhdFixedDevice fixedDisk:
                if (fileLength != fixedDisk.Length + VhdFooter.Size)
                    problems.Add($"VHD footer at offset {fileLength - VhdFooter.Size}: file is {fileLength} bytes, expected {fixedDisk.Length + VhdFooter.Size} (data + footer).");
                break;
            case VhdDynamicDevice dynamicDisk:
                await CheckDynamicAsync(path, dynamicDisk, fileLength, problems, ct).ConfigureAwait(false);
                break;
        }
        return problems;
    }

    private static async Task CheckDynamicAsync(string path, VhdDynamicDevice disk, long fileLength, List<string> problems, CancellationToken ct)
    {
        using var file = ImageFile.Open(path, writable: false);
        var head = new byte[VhdFooter.Size];
        var tail = new byte[VhdFooter.Size];
        await file.ReadExactAsync(0, head, ct).ConfigureAwait(false);
        await file.ReadExactAsync(fileLength - VhdFooter.Size, tail, ct).ConfigureAwait(false);
        if (!head.AsSpan().SequenceEqual(tail))
            problems.Add($"VHD footer copy at offset 0 differs from the footer at offset {fileLength - VhdFooter.Size}.");

        long footerOffset = fileLength - VhdFooter.Size;
        var blocks = new List<(long Start, int Index)>();
        for (int i = 0; i < disk.Bat.Count; i++)
            if (disk.Bat[i] != VhdBlockAllocationTable.Unallocated) blocks.Add(((long)disk.Bat[i] * 512, i));
        blocks.Sort();
        for (int k = 0; k < blocks.Count; k++)
        {
            var (start, index) = blocks[k];
            long batEntry = disk.Header.TableOffset + index * 4L;
            if (k + 1 < blocks.Count && start + disk.BlockSpan > blocks[k + 1].Start)
                problems.Add($"VHD block allocation table at offset {batEntry}: block {index} [{start}, +{disk.BlockSpan}) overlaps block {blocks[k + 1].Index} at {blocks[k + 1].Start}.");
            if (start + disk.BlockSpan > footerOffset)
                problems.Add($"VHD block allocation table at offset {batEntry}: block {index} [{start}, +{disk.BlockSpan}) runs into the trailing footer at {footerOffset}.");
        }

        // Entries past the disk's last block must be unallocated.
        long extra = disk.Header.MaxTableEntries - (long)disk.Bat.Count;
        if (extra > 0)
        {
            var raw = new byte[Math.Min(extra, 1 << 20) * 4];
            long at = disk.Header.TableOffset + disk.Bat.Count * 4L;
            await file.ReadExactAsync(at, raw, ct).ConfigureAwait(false);
            int bad = raw.AsSpan().IndexOfAnyExcept((byte)0xFF);
            if (bad >= 0)
                problems.Add($"VHD block allocation table at offset {at + bad / 4 * 4}: entry {disk.Bat.Count + bad / 4} is past the end of the disk but allocated.");
        }
    }
}
