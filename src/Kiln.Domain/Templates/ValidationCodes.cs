namespace Kiln.Domain.Templates;

/// <summary>
/// The <see cref="ValidationError.Code"/> values the template rules produce. One small
/// vocabulary so the API (and tests) can switch on codes instead of parsing messages.
/// </summary>
public static class ValidationCodes
{
    /// <summary>A required field is absent or null.</summary>
    public const string MissingField = "MissingField";
    /// <summary>A value has the wrong JSON type (string vs number vs object…).</summary>
    public const string InvalidType = "InvalidType";
    /// <summary>A value has the right type but is not allowed (pattern, enum, empty…).</summary>
    public const string InvalidValue = "InvalidValue";
    /// <summary>A number is outside its allowed range.</summary>
    public const string OutOfRange = "OutOfRange";
    /// <summary>A <c>type</c>/<c>scheme</c> discriminator names no known kind.</summary>
    public const string UnknownKind = "UnknownKind";
    /// <summary>A resource id is malformed or names the wrong resource type.</summary>
    public const string InvalidResourceId = "InvalidResourceId";
    /// <summary>Two values that must be unique are equal.</summary>
    public const string Duplicate = "Duplicate";
    /// <summary>Fields that exclude each other are both set (or neither of a required pair).</summary>
    public const string Conflict = "Conflict";
    /// <summary>A field exists only in a newer api-version than the request used.</summary>
    public const string NotSupportedInApiVersion = "NotSupportedInApiVersion";
    /// <summary>An unknown (or wrongly cased) field under api-version 2024-02-01, which matches names exactly.</summary>
    public const string UnknownField = "UnknownField";
    /// <summary>The template is valid but cannot be used with a trigger.</summary>
    public const string TriggerRequirement = "TriggerRequirement";
    /// <summary>The body is nested deeper or holds more values than any valid template.</summary>
    public const string TooLarge = "TooLarge";
}
