using System.Text.Json.Nodes;
using Kiln.Domain.Runs;

namespace Kiln.Control.Runs;

/// <summary>
/// Runs one build of an image template (the pipeline implements this in a later issue). The
/// token is cancelled when the client cancels the run or the server stops. progress reports
/// runSubState values (Queued, Building, Customizing, Optimizing, Validating, Distributing).
/// </summary>
public interface IBuildEngine
{
    Task<BuildOutcome> BuildAsync(RunRecord run, JsonObject template, IProgress<string> progress, CancellationToken ct);
}
