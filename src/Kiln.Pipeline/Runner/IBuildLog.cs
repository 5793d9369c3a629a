namespace Kiln.Pipeline.Runner;

/// <summary>The run's customization.log: lines are visible to readers as soon as they are written.</summary>
public interface IBuildLog
{
    void Write(string line);
}
