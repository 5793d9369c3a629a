namespace Kiln.Domain.Arm;

/// <summary>One problem, shaped like ARM's error body: code, message, the JSON path or field it is about.</summary>
public sealed record ArmErrorDetail(string Code, string Message, string? Target = null);
