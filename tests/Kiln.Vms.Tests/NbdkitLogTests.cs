namespace Kiln.Vms.Tests;

public sealed class NbdkitLogTests
{
    [Fact]
    public void CompletedReads_InCompletionOrder_PerConnectionIds_FailuresLeftOut()
    {
        string[] log =
        [
            "2026-12-04 16:28:16.595691 Ready thread_model=3",
            "2026-12-04 16:28:17.604346 connection=1 Connect export=\"\" tls=0 size=0x100000",
            "2026-12-04 16:28:17.605086 connection=1 Read id=1 offset=0x0 count=0x200 ...",
            "2026-12-04 16:28:17.605100 connection=2 Read id=1 offset=0x10000 count=0x10000 ...",
            "2026-12-04 16:28:17.605500 connection=2 ...Read id=1 return=0",
            "2026-12-04 16:28:17.605741 connection=1 ...Read id=1 return=0",
            "2026-12-04 16:28:17.606503 connection=1 Read id=2 offset=0x20000 count=0x1000 ...",
            "2026-12-04 16:28:17.606519 connection=1 ...Read id=2 return=-1 (EIO)",
            "2026-12-04 16:28:17.607000 connection=1 Read id=3 offset=0x0 count=0x400 ...", // never completed (nbdkit died)
            "2026-12-04 16:28:17.609609 connection=1 Disconnect transactions=3",
        ];
        var reads = NbdkitLog.Parse(log);
        Assert.Equal([0x10000L, 0x200L], reads.Select(r => r.Bytes));
        Assert.Equal(new DateTime(2026, 12, 4, 16, 28, 17, DateTimeKind.Local).AddTicks(6055000), reads[0].CompletedAt);
    }

    [Fact]
    public void AMissingFile_IsNoReads() => Assert.Empty(NbdkitLog.Read("/nonexistent/kiln/requests.log"));
}
