using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Checks a plan read from a file before anything runs: plan.json is editable, so apply accepts only what the planner
/// could have written. Tables and columns must be daemon tables of this schema; objects may only be deleted under
/// the installed prefix and only written as <c>plugin_packages/&lt;P&gt;</c> or <c>plugin/&lt;P&gt;</c> with P's own
/// checksum; each fix changes rows or objects, never both.
/// </summary>
internal static class PlanValidation
{
    public static void Validate(RepairPlan plan, DatabaseSchema schema, StorageLayout layout)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fix in plan.Fixes)
        {
            if (!ids.Add(fix.Id))
            {
                throw Damaged($"two fixes have the id {fix.Id}");
            }

            if (fix.Steps.Count == 0 || (fix.Steps.Any(RepairDatabasePhase.IsRowStep) && !fix.Steps.All(RepairDatabasePhase.IsRowStep)))
            {
                throw Damaged($"fix {fix.Id} must change rows or objects, not both and not nothing");
            }

            foreach (var fact in fix.Facts)
            {
                switch (fact)
                {
                    case RepairFact.Row row:
                        RepairTables.Table(schema, row.Table);
                        break;
                    case RepairFact.RowCount count:
                        RepairTables.Table(schema, count.Table);
                        foreach (var column in count.Where.Keys)
                        {
                            RepairTables.Column(schema, count.Table, column);
                        }

                        break;
                }
            }

            foreach (var step in fix.Steps)
            {
                Validate(fix, step, schema, layout);
            }
        }
    }

    private static void Validate(RepairFix fix, RepairStep step, DatabaseSchema schema, StorageLayout layout)
    {
        switch (step)
        {
            case RepairStep.DeleteRow delete:
                RepairTables.Table(schema, delete.Table);
                LiveState.PlannedRow(fix, delete.Table, delete.Id);
                break;
            case RepairStep.UpdateRow update:
                RepairTables.Table(schema, update.Table);
                LiveState.PlannedRow(fix, update.Table, update.Id);
                foreach (var column in update.Set.Keys)
                {
                    RepairTables.Column(schema, update.Table, column);
                }

                break;
            case RepairStep.InsertRow insert:
                RepairTables.Table(schema, insert.Table);
                foreach (var column in insert.Values.Keys)
                {
                    RepairTables.Column(schema, insert.Table, column);
                }

                if (RowJson.Text(System.Text.Json.JsonSerializer.SerializeToElement(insert.Values), "id") != insert.Id)
                {
                    throw Damaged($"fix {fix.Id} inserts a row whose id is not {insert.Id}");
                }

                break;
            case RepairStep.CopyObject copy:
                var identifier = Prefixed(copy.DestinationKey, layout.PackagePath) ?? Prefixed(copy.DestinationKey, layout.InstalledPath);
                if (!PluginUniqueIdentifier.TryParse(identifier, out var parsed) || parsed.Checksum != copy.Checksum)
                {
                    throw Damaged($"fix {fix.Id} writes {copy.DestinationKey}, which is not {layout.PackagePath}/<P> or {layout.InstalledPath}/<P> with P's checksum {copy.Checksum}");
                }

                break;
            case RepairStep.DeleteObject delete:
                if (Prefixed(delete.Key, layout.InstalledPath) is null && delete.Key != layout.InstalledPath + "/")
                {
                    throw Damaged($"fix {fix.Id} deletes {delete.Key}; repair only deletes keys under {layout.InstalledPath}/");
                }

                break;
            default:
                throw Damaged($"fix {fix.Id} has a step of unknown type");
        }
    }

    private static string? Prefixed(string key, string path) =>
        key.StartsWith(path + "/", StringComparison.Ordinal) ? key[(path.Length + 1)..] : null;

    private static ConfigurationException Damaged(string what) =>
        new($"The plan is damaged or was edited: {what}. Make a new plan with: {HostWords.Of(NextStep.MakeRepairPlan)}");
}
