namespace Kiln.Domain.Templates;

/// <summary>
/// One problem found in a request body. <paramref name="Target"/> is the JSON path of the
/// offending value (e.g. <c>properties.customize[1].inline</c>) so the API can return it as the
/// ARM error <c>target</c>; <paramref name="Message"/> says what is wrong and how to fix it.
/// </summary>
public sealed record ValidationError(string Code, string Message, string Target);
