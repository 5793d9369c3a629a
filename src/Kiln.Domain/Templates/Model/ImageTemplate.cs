namespace Kiln.Domain.Templates;

/// <summary>
/// A validated image template (PUT body of Microsoft.VirtualMachineImages/imageTemplates),
/// typed for the pipeline. Built by <see cref="ImageTemplateParser"/> after
/// <see cref="ImageTemplateValidator"/> found no errors; read-only fields are not carried.
/// </summary>
public sealed record ImageTemplate
{
    public required string Location { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    /// <summary>The template's single user-assigned identity.</summary>
    public required TemplateIdentity Identity { get; init; }
    public required ImageSource Source { get; init; }
    /// <summary>Customizers in the order they run.</summary>
    public IReadOnlyList<Customizer> Customize { get; init; } = [];
    /// <summary><c>properties.optimize.vmBoot.state</c>; Disabled when absent.</summary>
    public VmBootState OptimizeVmBoot { get; init; } = VmBootState.Disabled;
    /// <summary><c>properties.validate</c>; null when absent.</summary>
    public TemplateValidation? Validate { get; init; }
    /// <summary>At least one distributor.</summary>
    public required IReadOnlyList<Distributor> Distribute { get; init; }
    /// <summary><c>properties.errorHandling</c> (2023-07-01+); both Cleanup when absent.</summary>
    public TemplateErrorHandling ErrorHandling { get; init; } = new(OnBuildError.Cleanup, OnBuildError.Cleanup);
    /// <summary>As given, 0..960; 0 means the default (see <see cref="EffectiveBuildTimeout"/>).</summary>
    public int BuildTimeoutInMinutes { get; init; }
    public TemplateVmProfile? VmProfile { get; init; }
    /// <summary>Resource-group id the build stages in; null/empty means "create one".</summary>
    public string? StagingResourceGroup { get; init; }
    /// <summary><c>properties.autoRun.state</c> (2024-02-01+); Disabled when absent.</summary>
    public AutoRunState AutoRun { get; init; } = AutoRunState.Disabled;
    /// <summary><c>properties.managedResourceTags</c> (2024-02-01+).</summary>
    public IReadOnlyDictionary<string, string> ManagedResourceTags { get; init; } = new Dictionary<string, string>();

    /// <summary>Default build timeout when <see cref="BuildTimeoutInMinutes"/> is 0 (AIB: 4 hours).</summary>
    public static readonly TimeSpan DefaultBuildTimeout = TimeSpan.FromMinutes(240);

    public TimeSpan EffectiveBuildTimeout =>
        BuildTimeoutInMinutes == 0 ? DefaultBuildTimeout : TimeSpan.FromMinutes(BuildTimeoutInMinutes);
}
