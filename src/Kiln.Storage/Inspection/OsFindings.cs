namespace Kiln.Storage.Inspection;

/// <summary>What one OS-specific inspector learned from a root file system.</summary>
internal sealed record OsFindings(
    OsType OsType,
    string? Distro,
    OsState State,
    List<string> Evidence,
    (CpuArchitecture Architecture, string How)? Architecture);
