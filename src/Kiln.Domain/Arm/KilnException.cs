namespace Kiln.Domain.Arm;

/// <summary>
/// A failure the client caused or must know about, carried up to the Api which turns it into
/// {"error":{code,message,target,details}}. Code is the ARM error code (e.g. ResourceNotFound).
/// </summary>
public sealed class KilnException : Exception
{
    public KilnException(KilnErrorKind kind, string code, string message, string? target = null,
        IReadOnlyList<ArmErrorDetail>? details = null)
        : base(message)
    {
        Kind = kind;
        Code = code;
        Target = target;
        Details = details ?? [];
    }

    public KilnErrorKind Kind { get; }
    public string Code { get; }
    public string? Target { get; }
    public IReadOnlyList<ArmErrorDetail> Details { get; }

    public static KilnException NotFound(string code, string message) => new(KilnErrorKind.NotFound, code, message);
    public static KilnException BadRequest(string code, string message, string? target = null) =>
        new(KilnErrorKind.BadRequest, code, message, target);
    public static KilnException Conflict(string code, string message) => new(KilnErrorKind.Conflict, code, message);
}
