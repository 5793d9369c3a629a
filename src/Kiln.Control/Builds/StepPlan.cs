using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Pipeline.Steps.Distribute.ManagedImage;
using Kiln.Pipeline.Steps.Distribute.SharedImage;
using Kiln.Pipeline.Steps.Distribute.Vhd;
using Kiln.Pipeline.Steps.Source;

namespace Kiln.Control.Builds;

/// <summary>
/// The steps of one build, in order, registered explicitly: source → inspect → customize →
/// generalize → optimize → distribute. A template that needs a step this build of Kiln lacks
/// fails before anything starts, naming what is missing.
/// </summary>
public static class StepPlan
{
    public const string StepUnavailable = "BuildStepUnavailable";

    public static IReadOnlyList<IPipelineStep> Create(ImageTemplate template, ResolvedSource source, string templateId, string runId,
        IArtifactRegistry registry, ArtifactLayout layout)
    {
        var steps = new List<IPipelineStep>
        {
            new StageSourceStep(source.Description, source.Open),
            new InspectSourceStep(template.OptimizeVmBoot == VmBootState.Enabled),
        };
        if (template.Customize.Count > 0)
            throw new BuildStepException(StepUnavailable,
                $"customize[] has {template.Customize.Count} step(s) ({string.Join(", ", template.Customize.Select(c => c.Type))}) but this Kiln " +
                "build has no customizer appliance yet; remove customize[] or run a Kiln build that includes it.");
        if (template.OptimizeVmBoot == VmBootState.Enabled)
            throw new BuildStepException(StepUnavailable,
                "optimize.vmBoot.state is Enabled but this Kiln build has no boot optimizer yet; set it to Disabled or run a Kiln build that includes it.");
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
