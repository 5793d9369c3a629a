using Kiln.Storage.Blocks;
using Kiln.Storage.Stack;

namespace Kiln.Nbd.Tests;

/// <summary>
/// The optimizer's stack end to end with a real guest: image → read-only → boot-trace →
/// overlay → NBD → qemu-system-x86_64 (SeaBIOS, TCG). The "OS" is a 28-byte boot sector that
/// writes itself to sector 1, reads sector 10 and exits QEMU through isa-debug-exit.
/// </summary>
public class QemuBootThroughStackTests
{
    private static readonly byte[] BootSector =
    [
        0xB8, 0x01, 0x03,   // mov ax, 0x0301   int 13h write, 1 sector
        0xB9, 0x02, 0x00,   // mov cx, 0x0002   cylinder 0, sector 2 (LBA 1)
        0xBA, 0x80, 0x00,   // mov dx, 0x0080   head 0, first hard disk
        0x31, 0xDB,         // xor bx, bx
        0x8E, 0xC3,         // mov es, bx
        0xBB, 0x00, 0x7C,   // mov bx, 0x7c00   from this very sector
        0xCD, 0x13,         // int 0x13
        0xB8, 0x01, 0x02,   // mov ax, 0x0201   int 13h read, 1 sector
        0xB9, 0x0B, 0x00,   // mov cx, 0x000b   sector 11 (LBA 10)
        0xBA, 0x80, 0x00,   // mov dx, 0x0080
        0xBB, 0x00, 0x80,   // mov bx, 0x8000
        0xCD, 0x13,         // int 0x13
        0xB0, 0x00,         // mov al, 0
        0xE6, 0xF4,         // out 0xf4, al     isa-debug-exit: QEMU exits with status 1
        0xF4, 0xEB, 0xFD,   // hlt; jmp hlt
    ];

    [Fact]
    public async Task AGuestBootsThroughTheStack_ItsReadsAreTraced_AndItsWritesNeverReachTheImage()
    {
        var image = new byte[4 << 20];
        BootSector.CopyTo(image, 0);
        image[510] = 0x55;
        image[511] = 0xAA;
        new Random(2).NextBytes(image.AsSpan(5120, 512));
        var original = (byte[])image.Clone();

        await using var disk = MemoryBlockDevice.FromBytes(image);
        await using var stack = BlockStack.Over(disk, ownsDevice: false)
            .ReadOnly()
            .Trace(out var trace)
            .Overlay(out var overlay)
            .Build();
        await using var t = await NbdTestServer.StartAsync([new NbdExport("boot", stack)]);

        var r = await ExternalTool.RunAsync("qemu-system-x86_64",
            "-nodefaults", "-display", "none", "-serial", "none", "-monitor", "none", "-m", "32", "-no-reboot",
            "-machine", "accel=tcg", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-drive", $"file={t.Server.NbdUri},format=raw,if=ide,cache=writeback");
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}: {r.All}\n{string.Join('\n', t.Log)}");

        // The image is untouched; the guest's write lives in the overlay.
        Assert.Equal(original, await disk.ReadBytesAsync(0, original.Length));
        Assert.Equal(original.AsSpan(0, 512).ToArray(), await stack.ReadBytesAsync(512, 512));
        Assert.True(overlay.IsWritten(512));

        var reads = trace.Snapshot();
        Assert.Contains(reads, x => x.Offset <= 0 && x.End >= 512);       // the boot sector
        Assert.Contains(reads, x => x.Offset <= 5120 && x.End >= 5632);   // what the guest read
        Assert.True(trace.LastReadAt is not null);
    }
}
