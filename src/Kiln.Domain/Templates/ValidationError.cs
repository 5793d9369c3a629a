namespace Kiln.Domain.Templates;

/// <summary>One problem in an image template; Target is its JSON path, e.g. properties.source.type.</summary>
public sealed record ValidationError(string Code, string Message, string Target);
