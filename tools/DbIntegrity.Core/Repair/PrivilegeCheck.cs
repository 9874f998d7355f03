using DbIntegrity.Core.Database;
using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Before anything is written, checks that the role has the grants the plan's row changes need (docs/least-privilege.md):
/// SELECT and UPDATE where rows are locked FOR UPDATE, UPDATE or DELETE where a table is locked IN SHARE MODE
/// (PostgreSQL 15's rule for LOCK TABLE), DELETE, UPDATE and INSERT where rows are deleted, updated, inserted. Object
/// deletions lock <c>plugins</c> and <c>install_tasks</c> IN SHARE MODE against installs, so they need UPDATE there.
/// </summary>
internal static class PrivilegeCheck
{
    public static async Task EnsureAsync(NpgsqlConnection connection, DatabaseSchema schema, RepairPlan plan, CancellationToken cancellationToken)
    {
        var needed = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Need(string table, string privilege)
        {
            if (!needed.TryGetValue(table, out var set))
            {
                needed[table] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(privilege);
        }

        foreach (var fix in plan.Fixes.Where(f => f.Steps.Any(RepairDatabasePhase.IsRowStep)))
        {
            foreach (var fact in fix.Facts)
            {
                switch (fact)
                {
                    case RepairFact.Row row:
                        Need(row.Table, "SELECT");
                        Need(row.Table, "UPDATE");
                        break;
                    case RepairFact.RowCount count:
                        Need(count.Table, "SELECT");
                        Need(count.Table, "UPDATE");
                        break;
                }
            }

            foreach (var step in fix.Steps)
            {
                switch (step)
                {
                    case RepairStep.DeleteRow delete:
                        Need(delete.Table, "DELETE");
                        break;
                    case RepairStep.UpdateRow update:
                        Need(update.Table, "UPDATE");
                        break;
                    case RepairStep.InsertRow insert:
                        Need(insert.Table, "INSERT");
                        Need(insert.Table, "SELECT");
                        break;
                }
            }
        }

        if (plan.Fixes.Any(f => f.Steps.Any(s => s is RepairStep.DeleteObject)))
        {
            Need("plugins", "SELECT");
            Need("plugins", "UPDATE");
            if (schema.HasColumn("install_tasks", "plugins"))
            {
                Need("install_tasks", "SELECT");
                Need("install_tasks", "UPDATE");
            }
        }

        var missing = new List<string>();
        foreach (var (table, privileges) in needed)
        {
            foreach (var privilege in privileges)
            {
                await using var command = new NpgsqlCommand("SELECT has_table_privilege(quote_ident(current_schema()) || '.' || quote_ident($1), $2)", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = table });
                command.Parameters.Add(new NpgsqlParameter { Value = privilege });
                if (await command.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    missing.Add($"{privilege} on {table}");
                }
            }
        }

        if (missing.Count > 0)
        {
            throw new UnavailableException("database",
                $"permission denied: this plan needs {string.Join(", ", missing)} (see docs/least-privilege.md, repair apply). Nothing was changed.");
        }
    }
}
