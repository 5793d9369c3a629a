namespace Kiln.Domain.Templates;

/// <summary><c>properties.errorHandling</c> (2023-07-01+).</summary>
public sealed record TemplateErrorHandling(OnBuildError OnCustomizerError, OnBuildError OnValidationError);
