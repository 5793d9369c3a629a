using System.Runtime.InteropServices;

namespace Kiln.Machines;

/// <summary>
/// Decides between KVM and TCG by really talking to /dev/kvm: the node may exist yet be
/// unusable (no permission, nested virtualization off, a container without the device), so
/// it opens it, issues KVM_GET_API_VERSION (must answer 12, the stable KVM API) and creates
/// (then closes) a VM with KVM_CREATE_VM.
/// </summary>
public static partial class KvmProbe
{
    private const string DevicePath = "/dev/kvm";
    private const ulong KvmGetApiVersion = 0xAE00; // _IO(KVMIO=0xAE, 0x00)
    private const ulong KvmCreateVm = 0xAE01;      // _IO(KVMIO, 0x01)
    private const int StableApiVersion = 12;
    private const int ReadWrite = 2;               // O_RDWR
    private const int CloseOnExec = 0x80000;       // O_CLOEXEC

    public static bool IsUsable()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(DevicePath))
            return false;
        var fd = Open(DevicePath, ReadWrite | CloseOnExec);
        if (fd < 0)
            return false;
        try
        {
            if (Ioctl(fd, KvmGetApiVersion, IntPtr.Zero) != StableApiVersion)
                return false;
            // The API answering is not enough (e.g. nested virtualization off): a VM must be creatable.
            var vm = Ioctl(fd, KvmCreateVm, IntPtr.Zero);
            if (vm < 0)
                return false;
            _ = Close(vm);
            return true;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static readonly Lock Gate = new();
    private static Task<Accelerator>? _choice;

    /// <summary>
    /// KVM when it really runs guests, else TCG; decided once per process. The ioctls can
    /// succeed on a host whose (nested) KVM then fails to emulate firmware code ("KVM internal
    /// error … emulation failure"), so the probe also boots OVMF under KVM on a blank disk and
    /// requires its boot manager to appear on the console within 20 s.
    /// </summary>
    public static Task<Accelerator> ChooseAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
            return _choice ??= ProbeByBootingAsync(cancellationToken);
    }

    private static async Task<Accelerator> ProbeByBootingAsync(CancellationToken cancellationToken)
    {
        if (!IsUsable() || !File.Exists(VmSpec.DefaultOvmfCodePath))
            return Accelerator.Tcg;
        var dir = Directory.CreateTempSubdirectory("kiln-kvm-probe-").FullName;
        try
        {
            var disk = Path.Combine(dir, "blank.raw");
            await using (var file = File.Create(disk)) file.SetLength(1 << 20);
            var spec = new VmSpec
            {
                Disk = DiskSource.File(disk), Generation = MachineGeneration.Gen2, Accelerator = Accelerator.Kvm, MemoryMiB = 128,
            };
            await using var machine = await QemuMachine.StartAsync(spec, new QemuMachineOptions { TempRoot = dir }, cancellationToken);
            var result = await machine.WaitForBootAsync(
                new BootCompletion { ReadyPattern = new System.Text.RegularExpressions.Regex("BdsDxe"), Timeout = TimeSpan.FromSeconds(20) },
                cancellationToken);
            return result.Reason == BootCompletionReason.ReadyPattern ? Accelerator.Kvm : Accelerator.Tcg;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, IntPtr argument);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
