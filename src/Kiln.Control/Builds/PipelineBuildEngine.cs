using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kiln.Control.Runs;
using Kiln.Domain.Arm;
using Kiln.Domain.Runs;
using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Pipeline.Steps.Source;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using PipelineOutcome = Kiln.Pipeline.Runner.BuildOutcome;

namespace Kiln.Control.Builds;

/// <summary>
/// Builds an image template for real: preflight (identity role on every distribution target),
/// source resolution, a per-run staging folder (IT_&lt;rg&gt;_&lt;template&gt;_&lt;random&gt;, reported as
/// exactStagingResourceGroup and deleted however the run ends), the pipeline steps with the
/// template's timeout, runOutputs, and a customization.log kept under DIR/logs.
/// </summary>
public sealed class PipelineBuildEngine(ControlPlane plane, string dataDir, PipelineBuildEngineOptions? options = null) : IBuildEngine
{
    private readonly PipelineBuildEngineOptions _options = options ?? new PipelineBuildEngineOptions();
    private readonly BuildPaths _paths = SweepOrphans(new BuildPaths(dataDir));
    private readonly ArtifactLayout _layout = new(dataDir);

    public BuildPaths Paths => _paths;

    public async Task<Runs.BuildOutcome> BuildAsync(RunRecord run, JsonObject templateBody, IProgress<string> progress, CancellationToken ct)
    {
        if (!ResourceId.TryParse(run.TemplateId, out var templateId) || templateId.ResourceGroup is null)
            return Failed("InvalidTemplateId", $"Run {run.Id} names '{run.TemplateId}', which is not an image template id.");
        var time = _options.Time;
        using var log = new RunLogFile(_paths.RunLog(templateId, run.Id), time);
        string stagingName = BuildPaths.StagingName(templateId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        string staging = Path.Combine(_paths.StagingRoot, stagingName);
        Directory.CreateDirectory(staging);
        log.Write($"run {run.Id} of {templateId}: started; staging {stagingName}");
        try
        {
            return await BuildInStagingAsync(run, templateBody, templateId, stagingName, staging, log, progress, ct);
        }
        catch (BuildStepException e)
        {
            log.Write($"run failed before the build started: {e.Code}: {e.Message}");
            return Failed(e.Code, e.Message);
        }
        finally
        {
            DeleteStaging(staging, log);
        }
    }

    private async Task<Runs.BuildOutcome> BuildInStagingAsync(RunRecord run, JsonObject templateBody, ResourceId templateId,
        string stagingName, string staging, RunLogFile log, IProgress<string> progress, CancellationToken ct)
    {
        await plane.Runs.UpdateTemplatePropertiesAsync(run, p =>
            p["exactStagingResourceGroup"] = $"/subscriptions/{templateId.Subscription}/resourceGroups/{stagingName}", ct);
        progress.Report(BuildPhase.Building.ToString());
        ImageTemplate template;
        try
        {
            template = ImageTemplateParser.Parse(templateBody);
        }
        catch (FormatException e)
        {
            throw new BuildStepException("InvalidTemplate", e.Message);
        }

        await RolePreflight.CheckAsync(plane.Store, template, ct);
        log.Write($"preflight: identity {template.Identity.UserAssignedIdentityId} may write every distribution target");
        var resolver = new SourceResolver(plane.Store, new PlatformImageCatalog(_paths.PlatformImages), _layout);
        var source = await resolver.ResolveAsync(template.Source, ct);
        await plane.Runs.UpdateTemplatePropertiesAsync(run, p =>
        {
            if (p["source"] is not JsonObject s)
                return;
            if (source.ExactVersion is not null)
                s["exactVersion"] = source.ExactVersion;
            if (source.ExactId is not null)
                s["exactVersion"] = source.ExactId;
        }, ct);

        // Inspect before any VM starts: ineligible images with optimize enabled fail here with the reasons.
        ImageFacts facts;
        await using (var device = await source.Open(staging, ct))
            facts = await ImageInspector.InspectAsync(device, DiskImage.Raw, ct);
        log.Write($"inspect: {facts.OsType} {facts.Distro} {facts.HyperVGeneration} {facts.Architecture}, {facts.OsState}, " +
                  $"vmBoot eligible: {facts.VmBootOptimization.Eligible}");
        if (template.OptimizeVmBoot == VmBootState.Enabled && !facts.VmBootOptimization.Eligible)
            throw new BuildStepException(StepPlan.NotEligible,
                "The source image is not eligible for VM boot optimization (optimize.vmBoot.state is Enabled): " +
                string.Join("; ", facts.VmBootOptimization.Reasons) + ". Disable optimize.vmBoot or use an eligible image.");

        var registry = new StoreArtifactRegistry(plane.Store, plane.ImageVersions, plane.Clock);
        IReadOnlyList<IPipelineStep> steps = StepPlan.Create(template, source, facts, templateId.ToString(), run.Id, registry, _layout, _options.Appliance);
        if (_options.AdjustSteps is not null)
            steps = _options.AdjustSteps(steps);
        var context = new BuildContext(run.Id, staging, log, _options.Time);
        var result = await new PipelineRunner(_options.Time).RunAsync(
            steps.Select(s => (IPipelineStep)new ReportingStep(s, progress)).ToList(), context, template.EffectiveBuildTimeout, ct);

        string timings = string.Join(", ", context.PhaseSeconds.Select(p => $"{p.Key} {p.Value:F1} s"));
        log.Write($"phase timings: {timings}");
        if (context.BootProfile is not null)
            log.Write($"optimization: {context.PhaseSeconds.GetValueOrDefault(BuildPhase.Optimizing):F1} s");
        foreach (var cleanupError in result.CleanupErrors)
            log.Write($"cleanup error: {cleanupError}");

        switch (result.Outcome)
        {
            case PipelineOutcome.Succeeded:
                foreach (var artifact in context.Artifacts)
                    await plane.ImageVersions.RecordRunOutputAsync(templateId, artifact.RunOutputName, artifact.ArtifactId, artifact.ArtifactUri, ct);
                log.Write("run succeeded");
                string optimized = context.BootProfile is null ? "" :
                    $"; optimization took {context.PhaseSeconds.GetValueOrDefault(BuildPhase.Optimizing):F1} s";
                return new Runs.BuildOutcome(RunState.Succeeded, $"Build succeeded ({timings}){optimized}.", null);
            case PipelineOutcome.Canceled:
                log.Write("run canceled");
                // Let the worker tell a client cancel from a server stop.
                ct.ThrowIfCancellationRequested();
                return new Runs.BuildOutcome(RunState.Canceled, "Canceled.", null);
            case PipelineOutcome.TimedOut:
                log.Write("run timed out");
                return Failed("BuildTimeout",
                    $"The build did not finish within buildTimeoutInMinutes ({template.EffectiveBuildTimeout.TotalMinutes:0.#} minutes); " +
                    $"it was stopped during '{result.FailedStep}'. Raise buildTimeoutInMinutes or shorten the customization.");
            default:
                string code = result.Error is BuildStepException step ? step.Code : "BuildFailed";
                return Failed(code, $"{result.FailedStep}: {result.Error?.Message}");
        }
    }

    /// <summary>
    /// The engine is made when the server starts, before any run is picked up and while every run a
    /// previous process left active is about to be failed: staging folders still present were
    /// orphaned by a crash (a clean stop deletes them), so they go now.
    /// </summary>
    private static BuildPaths SweepOrphans(BuildPaths paths)
    {
        if (Directory.Exists(paths.StagingRoot))
            foreach (var orphan in Directory.GetDirectories(paths.StagingRoot))
                Directory.Delete(orphan, recursive: true);
        return paths;
    }

    private static void DeleteStaging(string staging, RunLogFile log)
    {
        try
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            log.Write("staging deleted");
        }
        catch (IOException e)
        {
            log.Write($"staging could not be deleted: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            log.Write($"staging could not be deleted: {e.Message}");
        }
    }

    private static Runs.BuildOutcome Failed(string code, string message) =>
        new(RunState.Failed, message, new ArmErrorDetail(code, message));
}
