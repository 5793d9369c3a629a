using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// Stacks filters bottom-up: each call puts a filter on top of what is there so far.
/// Disposing the built device disposes every filter and (if owned) the bottom device.
/// <code>
///   BlockStack.Over(image)        image
///     .ReadOnly()                   ↑ read-only
///     .Trace(out var trace)         ↑ boot-trace (sees only reads that reach the image)
///     .Overlay()                    ↑ copy-on-write overlay (guest writes stay here)
///     .Build()                    → serve over NBD
/// </code>
/// </summary>
public sealed class BlockStackBuilder
{
    private IBlockDevice _top;
    private bool _ownsTop;

    internal BlockStackBuilder(IBlockDevice device, bool ownsDevice)
    {
        _top = device;
        _ownsTop = ownsDevice;
    }

    /// <summary>Adds any filter: <paramref name="create"/> gets the device below and whether the new filter must own it.</summary>
    public BlockStackBuilder Use(Func<IBlockDevice, bool, IBlockDevice> create)
    {
        _top = create(_top, _ownsTop);
        _ownsTop = true; // every filter above the bottom is owned by the one above it
        return this;
    }

    public BlockStackBuilder ReadOnly() => Use((d, owns) => new ReadOnlyFilter(d, owns));

    public BlockStackBuilder Trace(out BootTraceFilter trace, TimeProvider? time = null)
    {
        BootTraceFilter? created = null;
        Use((d, owns) => created = new BootTraceFilter(d, time, owns));
        trace = created!;
        return this;
    }

    public BlockStackBuilder Overlay(IBlockDevice? overlay = null, int granularity = 4096)
        => Overlay(out _, overlay, granularity);

    public BlockStackBuilder Overlay(out CopyOnWriteOverlay cow, IBlockDevice? overlay = null, int granularity = 4096)
    {
        CopyOnWriteOverlay? created = null;
        Use((d, owns) => created = new CopyOnWriteOverlay(d, overlay, granularity, ownsBase: owns));
        cow = created!;
        return this;
    }

    public BlockStackBuilder Delay(TimeSpan latency, long? bytesPerSecond = null, TimeProvider? time = null)
        => Use((d, owns) => new DelayFilter(d, latency, bytesPerSecond, time, owns));

    public BlockStackBuilder Count(out CountingFilter counts)
    {
        CountingFilter? created = null;
        Use((d, owns) => created = new CountingFilter(d, owns));
        counts = created!;
        return this;
    }

    public BlockStackBuilder Cache(out CacheFilter cache, int blockSize = 64 * 1024, long? capacityBytes = 256L << 20)
    {
        CacheFilter? created = null;
        Use((d, owns) => created = new CacheFilter(d, blockSize, capacityBytes, owns));
        cache = created!;
        return this;
    }

    public BlockStackBuilder Cache(int blockSize = 64 * 1024, long? capacityBytes = 256L << 20)
        => Cache(out _, blockSize, capacityBytes);

    public BlockStackBuilder Faults(out FaultFilter faults, IReadOnlyList<Extent>? badRanges = null, int failEveryNth = 0)
    {
        FaultFilter? created = null;
        Use((d, owns) => created = new FaultFilter(d, badRanges, failEveryNth, owns));
        faults = created!;
        return this;
    }

    /// <summary>The top of the stack. The builder must not be used afterwards.</summary>
    public IBlockDevice Build() => _top;
}
