namespace Kiln.Domain.Templates;

/// <summary><c>errorHandling.onCustomizerError/onValidationError</c>: wire values "cleanup" and "abort".</summary>
public enum OnBuildError
{
    /// <summary>Delete the build VM and its resources (default).</summary>
    Cleanup,
    /// <summary>Keep the build VM for investigation.</summary>
    Abort,
}
