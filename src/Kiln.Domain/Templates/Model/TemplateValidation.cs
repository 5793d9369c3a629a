namespace Kiln.Domain.Templates;

/// <summary><c>properties.validate</c>.</summary>
public sealed record TemplateValidation(
    bool ContinueDistributeOnFailure,
    bool SourceValidationOnly,
    IReadOnlyList<InVmValidator> InVmValidations);
