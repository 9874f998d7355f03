using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Deployments;

/// <summary>A deployment whose store is only read: what a check, a repair plan and a gate's scans need.</summary>
public sealed record DeploymentReader(NpgsqlDataSource Database, IObjectReader Store, StorageLayout Layout);
