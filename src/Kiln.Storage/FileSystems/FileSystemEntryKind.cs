namespace Kiln.Storage.FileSystems;

public enum FileSystemEntryKind
{
    File,
    Directory,
    Symlink,
    Other,
}
