namespace Kiln.Storage.Blocks;

/// <summary>
/// An on-disk structure is invalid. Parsers treat their input as hostile and raise this
/// (never a hang or an IndexOutOfRange) naming the structure and the byte offset.
/// </summary>
public sealed class CorruptImageException : BlockDeviceException
{
    public CorruptImageException(string structure, long offset, string problem)
        : base($"{structure} at offset {offset} (0x{offset:X}): {problem}")
    {
        Structure = structure;
        Offset = offset;
    }

    public string Structure { get; }
    public long Offset { get; }
}
