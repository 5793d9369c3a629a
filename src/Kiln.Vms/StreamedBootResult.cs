using Kiln.Machines;
using Kiln.Streaming.Hydration;

namespace Kiln.Vms;

/// <summary>
/// One streamed boot: the outcome, the VM's generation, and what the hydrating device fetched
/// up to the ready moment. <see cref="QemuStartOffset"/> converts the timeline (elapsed since
/// the device opened) to seconds since QEMU started: <c>sample.Elapsed - QemuStartOffset</c>.
/// </summary>
public sealed record StreamedBootResult(
    DeviceBootResult Boot,
    MachineGeneration Generation,
    bool Prefetched,
    HydrationStats Stats,
    TimeSpan QemuStartOffset)
{
    public bool Ready => Boot.Ready;
    public double? SecondsToReady => Boot.Boot.SecondsToReady;
    public long RemoteRequests => Stats.RemoteRequests;
    public long RemoteBytes => Stats.RemoteBytes;
}
