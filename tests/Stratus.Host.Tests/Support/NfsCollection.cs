using Stratus.Testing;

namespace Stratus.Host.Tests.Support;

/// <summary>All NFS tests share one ganesha server (rpcbind allows only one NFSv3 registration per machine).</summary>
[CollectionDefinition(Name)]
public sealed class NfsCollection : ICollectionFixture<GaneshaServer>
{
    public const string Name = "nfs";
}
