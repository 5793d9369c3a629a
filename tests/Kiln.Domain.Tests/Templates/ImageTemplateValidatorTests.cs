namespace Kiln.Domain.Tests.Templates;

/// <summary>The row tables, one theory per rule group; each row names its expected error path.</summary>
public sealed class ImageTemplateValidatorTests
{
    [Theory]
    [MemberData(nameof(EnvelopeCases.Rows), MemberType = typeof(EnvelopeCases))]
    public void Envelope(TemplateCase row) => row.Verify();

    [Theory]
    [MemberData(nameof(SourceCases.Rows), MemberType = typeof(SourceCases))]
    public void Source(TemplateCase row) => row.Verify();

    [Theory]
    [MemberData(nameof(CustomizerCases.Rows), MemberType = typeof(CustomizerCases))]
    public void CustomizersAndValidators(TemplateCase row) => row.Verify();

    [Theory]
    [MemberData(nameof(DistributorCases.Rows), MemberType = typeof(DistributorCases))]
    public void Distributors(TemplateCase row) => row.Verify();

    [Theory]
    [MemberData(nameof(PropertiesCases.Rows), MemberType = typeof(PropertiesCases))]
    public void Properties(TemplateCase row) => row.Verify();

    [Theory]
    [MemberData(nameof(ApiVersionCases.Rows), MemberType = typeof(ApiVersionCases))]
    public void ApiVersions(TemplateCase row) => row.Verify();
}
