using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>
/// Microsoft.Compute/images: read, list, delete; created by builds (distribute type ManagedImage).
/// Deleting one also deletes its OS disk file when that file is Kiln's own (under DIR/managed-images).
/// </summary>
public sealed class ManagedImageKind : IResourceKind
{
    public string Type => ResourceTypes.ManagedImage;
    public bool Tracked => true;
    public bool CreateOnly => false;
    public bool ClientCreatable => false;

    public Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing) =>
        throw new KilnException(KilnErrorKind.MethodNotAllowed, "OperationNotAllowed",
            "Managed images are created by Kiln builds (an image template with a ManagedImage distributor).");

    public Task OnDeletedAsync(ArmContext ctx, StoredResource deleted)
    {
        string? blob = deleted.Body["properties"]?["storageProfile"]?["osDisk"]?["blobUri"]?.GetValue<string>();
        if (ctx.Plane.DataDirectory is { } dir && blob is not null && Uri.TryCreate(blob, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            string owned = Path.Combine(dir, "managed-images") + Path.DirectorySeparatorChar;
            if (Path.GetFullPath(uri.LocalPath).StartsWith(owned, StringComparison.Ordinal))
                File.Delete(uri.LocalPath);
        }
        return Task.CompletedTask;
    }
}
