using System.Globalization;
using Kiln.Machines;

namespace Kiln.Pipeline.Appliance;

/// <summary>
/// Follows the appliance's console (see <see cref="ApplianceJobLayout"/> for the markers) and
/// turns it into per-step output, exit codes and timings. Lines are fed in order as they
/// arrive; each fed line yields the customization.log line it stands for, if any. The console
/// is guest output: malformed markers are treated as plain text, step numbers are checked
/// against the job, and output kept per step is bounded.
/// </summary>
public sealed class ApplianceConsoleParser(IReadOnlyList<string> stepNames)
{
    /// <summary>Output lines kept per step (the log gets them all as they come; errors quote the tail).</summary>
    public const int MaxLinesPerStep = 2000;

    private readonly List<string>[] _output = stepNames.Select(_ => new List<string>()).ToArray();
    private readonly int?[] _exit = new int?[stepNames.Count];
    private readonly double?[] _begin = new double?[stepNames.Count];
    private readonly double?[] _end = new double?[stepNames.Count];
    private readonly List<string> _tail = [];

    public bool Done { get; private set; }

    /// <summary>Set when the appliance reported it could not start the job (no root, no job disk).</summary>
    public string? ApplianceError { get; private set; }

    public string? Accept(ConsoleLine line)
    {
        var text = line.Text.TrimEnd('\r');
        _tail.Add(text);
        if (_tail.Count > 40) _tail.RemoveAt(0);

        if (text == ApplianceInit.DoneMarker)
        {
            Done = true;
            return null;
        }
        if (text.StartsWith(ApplianceInit.ErrorMarker + " ", StringComparison.Ordinal))
        {
            ApplianceError = text[(ApplianceInit.ErrorMarker.Length + 1)..];
            return $"appliance: {ApplianceError}";
        }
        if (TryStep(text, ApplianceJobLayout.BeginMarker, out var begin, out _))
        {
            _begin[begin] = line.Seconds;
            return $"{stepNames[begin]}: started";
        }
        if (TryStep(text, ApplianceJobLayout.OutputMarker, out var step, out var rest))
        {
            if (_output[step].Count < MaxLinesPerStep) _output[step].Add(rest);
            else if (_output[step].Count == MaxLinesPerStep) { _output[step].RemoveAt(0); _output[step].Add(rest); }
            return $"{stepNames[step]}: | {rest}";
        }
        if (TryStep(text, ApplianceJobLayout.ExitMarker, out var exited, out var code)
            && int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var exitCode))
        {
            _exit[exited] = exitCode;
            _end[exited] = line.Seconds;
            var seconds = _begin[exited] is { } b ? line.Seconds - b : 0;
            return string.Create(CultureInfo.InvariantCulture, $"{stepNames[exited]}: exit code {exitCode} after {seconds:F1} s");
        }
        return null;
    }

    public IReadOnlyList<ApplianceStepResult> Results() =>
        stepNames.Select((name, i) => new ApplianceStepResult(name, _exit[i], _output[i].ToArray(),
            _begin[i] is { } b && _end[i] is { } e ? e - b : null)).ToArray();

    public IReadOnlyList<string> ConsoleTail => _tail.ToArray();

    /// <summary>Matches "MARKER N rest" with N a step of this job.</summary>
    private bool TryStep(string text, string marker, out int step, out string rest)
    {
        step = -1;
        rest = "";
        if (!text.StartsWith(marker + " ", StringComparison.Ordinal)) return false;
        var body = text.AsSpan(marker.Length + 1);
        var space = body.IndexOf(' ');
        var number = space < 0 ? body : body[..space];
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step >= stepNames.Count)
            return false;
        rest = space < 0 ? "" : body[(space + 1)..].ToString();
        return true;
    }
}
