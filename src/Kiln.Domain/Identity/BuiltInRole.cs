namespace Kiln.Domain.Identity;

/// <summary>An Azure built-in role, with the id Azure gives it everywhere (learn "Azure built-in roles").</summary>
public sealed record BuiltInRole(string Id, string Name, string Description)
{
    public static readonly BuiltInRole Owner = new("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner",
        "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.");
    public static readonly BuiltInRole Contributor = new("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor",
        "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.");
    public static readonly BuiltInRole Reader = new("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader",
        "View all resources, but does not allow you to make any changes.");

    public static readonly IReadOnlyList<BuiltInRole> All = [Owner, Contributor, Reader];

    public static BuiltInRole? FindById(string id) =>
        All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Role definition id as ARM spells it at subscription scope.</summary>
    public string ResourceId(string subscription) =>
        $"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{Id}";
}
