namespace Kiln.Storage.Blocks;

/// <summary>Base of the storage layer's error vocabulary: every message names the structure and offset.</summary>
public class BlockDeviceException : IOException
{
    public BlockDeviceException(string message) : base(message) { }
    public BlockDeviceException(string message, Exception inner) : base(message, inner) { }
}
