namespace Kiln.Pipeline.Runner;

/// <summary>
/// What the steps of one build share. Typed on purpose (no string-keyed bag): each value a
/// later step needs has a property, set by the step that produces it.
/// </summary>
public sealed class BuildContext
{
    public BuildContext(string runId, string stagingDirectory, IBuildLog log, TimeProvider time)
    {
        RunId = runId;
        StagingDirectory = stagingDirectory;
        Log = log;
        Time = time;
    }

    public string RunId { get; }

    /// <summary>The run's private working folder (Azure's IT_&lt;rg&gt;_&lt;template&gt;_&lt;id&gt;), deleted when the run ends.</summary>
    public string StagingDirectory { get; }

    public IBuildLog Log { get; }
    public TimeProvider Time { get; }

    /// <summary>The image being built, once the source step has staged it.</summary>
    public string? StagedImagePath { get; set; }

    /// <summary>Set once the Linux deprovisioning ran in the appliance: the image now inspects as Generalized.</summary>
    public bool Generalized { get; set; }

    /// <summary>Seconds per phase, for the log and the run output (like Azure's latency table).</summary>
    public Dictionary<BuildPhase, double> PhaseSeconds { get; } = new();

    /// <summary>What the distribute steps made, one per distributor (recorded as runOutputs when the build succeeds).</summary>
    public List<BuildArtifact> Artifacts { get; } = new();

    /// <summary>The boot profile the optimize step produced; null when the template does not optimize.</summary>
    public Kiln.Storage.Profiles.BootProfile? BootProfile { get; set; }
}
