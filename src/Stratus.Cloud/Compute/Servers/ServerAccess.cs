using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// Finds the server a request names. A malformed id, another project's server (for non-admins) and a deleted server
/// are all the same 404 (nova InstanceNotFound), so a tenant learns nothing about servers it cannot see.
/// </summary>
internal sealed class ServerAccess(IInstanceStore store)
{
    public static ApiException NotFound(string id) => ApiException.NotFound($"Instance {id} could not be found.", "InstanceNotFound");

    public async Task<Instance> GetAsync(RequestContext caller, string id, CancellationToken cancellationToken, bool includeDeleted = false)
    {
        if (id.Length != 36 || !Guid.TryParseExact(id, "D", out var uuid))
        {
            throw NotFound(id);
        }

        var instance = await store.FindAsync(uuid, includeDeleted, cancellationToken);
        return instance is not null && caller.Owns(instance.ProjectId) ? instance : throw NotFound(id);
    }
}
