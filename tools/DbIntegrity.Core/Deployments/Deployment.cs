using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Deployments;

/// <summary>
/// One plugin daemon deployment as the engine sees it: its database, its object store and where the daemon keeps
/// its objects in that store. Commands that only read (check, plan, gate) take <see cref="DeploymentReader"/>.
/// </summary>
public sealed record Deployment(NpgsqlDataSource Database, IObjectStore Store, StorageLayout Layout)
{
    /// <summary>The same deployment, seen through the read-only store interface.</summary>
    public DeploymentReader Reader => new(Database, Store, Layout);
}
