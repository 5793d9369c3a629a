namespace Kiln.Pipeline.Appliance;

/// <summary>One file of the job disk: either bytes written by Kiln or a host file copied as is.</summary>
public sealed record JobDiskEntry(string RelativePath, byte[]? Content, string? SourcePath, bool Executable)
{
    public long Length => Content?.LongLength ?? new FileInfo(SourcePath!).Length;
}
