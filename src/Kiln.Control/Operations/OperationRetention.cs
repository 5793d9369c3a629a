namespace Kiln.Control.Operations;

/// <summary>
/// How long finished long-running operation records stay pollable (<paramref name="Age"/>, counted from their end)
/// and how often the <see cref="OperationPruner"/> looks for expired ones. Running operations are kept whatever their age.
/// </summary>
public sealed record OperationRetention(TimeSpan Age, TimeSpan Interval)
{
    /// <summary>A week: far longer than any client polls, short enough that the table stays small.</summary>
    public static readonly OperationRetention Default = new(TimeSpan.FromDays(7), TimeSpan.FromHours(1));

    public void Validate()
    {
        if (Age < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Age), Age, "Operation retention must be zero or more (zero keeps no finished operation).");
        if (Interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "The operation pruning interval must be positive.");
    }
}
