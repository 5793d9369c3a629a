using Kiln.Domain.Templates;
using Kiln.Pipeline.Appliance;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Pipeline.Steps.Distribute.ManagedImage;
using Kiln.Pipeline.Steps.Distribute.SharedImage;
using Kiln.Pipeline.Steps.Distribute.Vhd;
using Kiln.Pipeline.Steps.Customizers;
using Kiln.Pipeline.Steps.Optimize;
using Kiln.Pipeline.Steps.Source;
using Kiln.Storage.Inspection;

namespace Kiln.Control.Builds;

/// <summary>
/// The steps of one build, in order, registered explicitly: source → inspect → customize →
/// generalize → optimize → distribute. Linux customizers and the generalization share one
/// appliance boot; the generalization runs when the template customizes a Linux image or the
/// source is not generalized yet (an untouched generalized image needs no boot for it).
/// </summary>
public static class StepPlan
{
    public const string StepUnavailable = "BuildStepUnavailable";
    public const string NotEligible = "SourceImageNotEligible";

    public static IReadOnlyList<IPipelineStep> Create(ImageTemplate template, ResolvedSource source, ImageFacts facts, string templateId,
        string runId, IArtifactRegistry registry, ArtifactLayout layout, ApplianceOptions? appliance = null)
    {
        var steps = new List<IPipelineStep>
        {
            new StageSourceStep(source.Description, source.Open),
        };
        bool linux = facts.OsType == OsType.Linux;
        bool generalize = linux && (template.Customize.Count > 0 || facts.OsState != OsState.Generalized);
        if (template.Customize.Count > 0 && !linux && template.Customize.Any(c => c is ShellCustomizer or FileCustomizer))
            throw new BuildStepException(StepUnavailable,
                $"customize[] has Linux customizers but the source image inspects as {facts.OsType} (no Linux root to run them in).");
        steps.AddRange(CustomizationPlan.Build(template.Customize, generalize, appliance));
        if (template.OptimizeVmBoot == VmBootState.Enabled)
            steps.Add(new OptimizeStep());
        for (int i = 0; i < template.Distribute.Count; i++)
        {
            steps.Add(template.Distribute[i] switch
            {
                SharedImageDistributor shared => new SharedImageDistributeStep(shared, i, registry, layout, source.Version),
                ManagedImageDistributor managed => new ManagedImageDistributeStep(managed, i, registry, layout),
                VhdDistributor vhd => new VhdDistributeStep(vhd, i, layout.VhdOutputPath(templateId, runId)),
                var other => throw new BuildStepException(StepUnavailable, $"distribute[{i}] type '{other.Type}' is not supported."),
            });
        }
        return steps;
    }
}
