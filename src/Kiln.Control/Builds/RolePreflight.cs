using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Identity;
using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;

namespace Kiln.Control.Builds;

/// <summary>
/// Before any VM starts: the template's user-assigned identity must hold Owner or Contributor (the
/// built-in roles whose actions include */write) at a scope containing every distribution target —
/// the gallery image definition, or the managed image's resource group. VHD targets live in Kiln's
/// own staging storage and need no role.
/// </summary>
public static class RolePreflight
{
    public const string AuthorizationFailed = "AuthorizationFailed";

    public static async Task CheckAsync(IResourceStore store, ImageTemplate template, CancellationToken ct)
    {
        string identityId = template.Identity.UserAssignedIdentityId;
        if (!ResourceId.TryParse(identityId, out var identity))
            throw new BuildStepException(AuthorizationFailed, $"The template's identity '{identityId}' is not a resource id.");
        var stored = await store.GetAsync(identity.Key, ct)
            ?? throw new BuildStepException(AuthorizationFailed,
                $"The template's identity '{identityId}' does not exist; create it and grant it Contributor on the distribution targets.");
        string principalId = stored.Body["properties"]?["principalId"]?.GetValue<string>()
            ?? throw new BuildStepException(AuthorizationFailed, $"The identity '{identityId}' has no principalId.");
        foreach (var (scope, action) in Targets(template))
        {
            var assignments = await store.ListAsync(ResourceTypes.RoleAssignment, ResourceId.ForSubscription(scope.Subscription).Key, ct);
            bool granted = assignments.Any(a =>
            {
                var p = a.Body["properties"];
                string assignedScope = (p?["scope"]?.GetValue<string>() ?? "").ToLowerInvariant().TrimEnd('/');
                string role = p?["roleDefinitionId"]?.GetValue<string>() ?? "";
                bool writes = role.EndsWith(BuiltInRole.Owner.Id, StringComparison.OrdinalIgnoreCase)
                              || role.EndsWith(BuiltInRole.Contributor.Id, StringComparison.OrdinalIgnoreCase);
                bool covers = scope.Key == assignedScope || scope.Key.StartsWith(assignedScope + "/", StringComparison.Ordinal);
                return writes && covers && string.Equals(p?["principalId"]?.GetValue<string>(), principalId, StringComparison.OrdinalIgnoreCase);
            });
            if (!granted)
                throw new BuildStepException(AuthorizationFailed,
                    $"The identity '{identityId}' (principalId {principalId}) does not have authorization to perform action '{action}' " +
                    $"over scope '{scope}'. Assign it the Contributor role at that scope (or its resource group) and run again.");
        }
    }

    private static IEnumerable<(ResourceId Scope, string Action)> Targets(ImageTemplate template)
    {
        foreach (var distributor in template.Distribute)
        {
            switch (distributor)
            {
                case SharedImageDistributor shared when ResourceId.TryParse(shared.ImageDefinitionId, out var definition):
                    yield return (definition, "Microsoft.Compute/galleries/images/versions/write");
                    break;
                case ManagedImageDistributor managed when ResourceId.TryParse(managed.ImageId, out var image) && image.ResourceGroup is not null:
                    yield return (ResourceId.ForResourceGroup(image.Subscription, image.ResourceGroup), "Microsoft.Compute/images/write");
                    break;
            }
        }
    }
}
