namespace Kiln.Domain.Templates;

/// <summary>Installs Windows updates; <see cref="UpdateLimit"/> 0 means the default (1000).</summary>
public sealed record WindowsUpdateCustomizer(string? Name, string? SearchCriteria, IReadOnlyList<string> Filters, int UpdateLimit) : Customizer(Name)
{
    public override string Type => "WindowsUpdate";
}
