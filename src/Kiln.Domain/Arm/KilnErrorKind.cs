namespace Kiln.Domain.Arm;

/// <summary>
/// The error vocabulary shared by Domain and Control. The Api maps each kind to an HTTP status
/// in exactly one place (ErrorMapping); nothing below the Api knows about HTTP.
/// </summary>
public enum KilnErrorKind
{
    BadRequest,
    Validation,
    NotFound,
    Conflict,
    Unauthorized,
    PayloadTooLarge,
    MethodNotAllowed,
    Internal,
}
