using Npgsql;

namespace DbIntegrity.Core.Migrating;

/// <summary>The connection and the open transaction a migration run happens in; statements on it see the uncommitted changes.</summary>
internal sealed record RunTransaction(NpgsqlConnection Connection, NpgsqlTransaction Transaction);
