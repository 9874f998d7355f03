using DbIntegrity.Core.Database;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// The tables and columns a plan may name. A plan is a file someone can edit, so apply builds SQL only from names that
/// are on this list and exist in the connected schema; values always travel as parameters.
/// </summary>
internal static class RepairTables
{
    private static readonly HashSet<string> Allowed = new(
        ["plugins", "plugin_declarations", "plugin_installations", "serverless_runtimes", .. Enum.GetValues<PluginCategory>().Select(c => c.InstallationTable()).OfType<string>()],
        StringComparer.Ordinal);

    /// <summary>The category tables (docs/daemon/database.md#tables) that exist in this schema with tenant_id and plugin_id.</summary>
    public static IEnumerable<string> CategoryTables(DatabaseSchema schema) =>
        Enum.GetValues<PluginCategory>().Select(c => c.InstallationTable()).OfType<string>().Distinct(StringComparer.Ordinal)
            .Where(t => schema.HasColumn(t, "tenant_id") && schema.HasColumn(t, "plugin_id"));

    /// <summary>The quoted table name; throws when the table is not one repair may touch or does not exist.</summary>
    public static string Table(DatabaseSchema schema, string table)
    {
        if (!Allowed.Contains(table))
        {
            throw new ConfigurationException($"The plan names table \"{table}\", which repair never touches. Make a new plan with: {HostWords.Of(NextStep.MakeRepairPlan)}");
        }

        if (!schema.HasColumn(table, "id"))
        {
            throw new ConfigurationException($"The plan names table {table}, which this database does not have (or it has no id column). Was the plan made for another database?");
        }

        return SqlIdentifier.Quote(table);
    }

    /// <summary>The quoted column name; throws when the table has no such column.</summary>
    public static string Column(DatabaseSchema schema, string table, string column)
    {
        if (!schema.HasColumn(table, column))
        {
            throw new ConfigurationException($"The plan names column {table}.{column}, which this database does not have. Was the plan made for another database?");
        }

        return SqlIdentifier.Quote(column);
    }

}
