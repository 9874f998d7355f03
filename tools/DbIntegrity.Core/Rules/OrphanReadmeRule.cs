using System.Data.Common;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A readme record whose identifier has neither a plugins nor a plugin_declarations row. Only the daemon's CLI
/// cleanup command deletes them, so these are expected waste (docs/daemon/database.md#invariants item 7, docs/daemon/rules.md#harmless-orphans).
/// </summary>
public sealed class OrphanReadmeRule : IDatabaseRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "orphan-readme",
        Severity = Severity.Info,
        Summary = "A plugin_readme_records row for an identifier with no plugins or plugin_declarations row.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugin_readme_records"] = ["plugin_unique_identifier", "created_at", "updated_at"] },
    };

    public string BuildSql(DatabaseSchema schema) => """
        SELECT r.id::text, r.plugin_unique_identifier, r.language, greatest(r.created_at, r.updated_at)
        FROM plugin_readme_records r
        WHERE NOT EXISTS (SELECT 1 FROM plugins p WHERE p.plugin_unique_identifier = r.plugin_unique_identifier)
          AND NOT EXISTS (SELECT 1 FROM plugin_declarations d WHERE d.plugin_unique_identifier = r.plugin_unique_identifier)
        """;

    public void Evaluate(DbDataReader row, RuleContext context) =>
        context.Report(
            $"Readme ({RowValues.Text(row, 2)}) of {RowValues.Text(row, 1)} is kept although no plugins or plugin_declarations row has that version. Harmless; upstream only removes these with its cleanup command.",
            new FindingLocation { Table = "plugin_readme_records", RowId = RowValues.Text(row, 0), Identifier = RowValues.Text(row, 1) },
            RowValues.Time(row, 3));
}
