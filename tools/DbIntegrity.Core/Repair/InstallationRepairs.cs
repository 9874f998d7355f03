using System.Text.Json;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Installations and their category rows (docs/daemon/database.md#tables, docs/daemon/database.md#invariants items 3 and 4): duplicate installations of one plugin
/// for one tenant, category rows without an installation, installations without their category row.
/// </summary>
internal static class InstallationRepairs
{
    private static readonly HashSet<string> FilledColumns = new(StringComparer.Ordinal)
    {
        "id", "tenant_id", "provider", "plugin_unique_identifier", "plugin_id", "created_at", "updated_at",
    };

    /// <summary>
    /// Keeps one installation: the only one when all rows are the same version, else the one whose version the
    /// tenant's category rows point at (what Dify lists the tenant's providers from). Anything else is a choice of
    /// version for a person.
    /// </summary>
    public static async Task PlanDuplicatesAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.DuplicateInstallation))
        {
            var where = Where.TenantPlugin(finding.TenantId, finding.PluginId);
            var rows = await plan.State.RowsAsync("plugin_installations", where, cancellationToken);
            if (rows.Count < 2)
            {
                plan.Resolved(finding);
                continue;
            }

            var keep = await ChooseAsync(plan, rows, where, cancellationToken);
            if (keep is null)
            {
                plan.ToManual(finding,
                    $"Tenant {finding.TenantId} has {finding.PluginId} installed as several versions and its category rows do not say which one it uses. "
                    + "Choose the version to keep and uninstall the others in Dify (the daemon's uninstall also fixes refers).");
                continue;
            }

            var keptId = RowJson.Id(keep.Value);
            var fix = plan.Add(new FixDraft(
                RepairKind.RemoveDuplicateInstallations,
                $"Keep installation {keptId} ({RowJson.Text(keep.Value, "plugin_unique_identifier")}) of {finding.PluginId} for tenant {finding.TenantId}; delete {rows.Count - 1} other(s)",
                "The tenant has one version of the plugin again, as the daemon expects, and upgrading the daemon to 0.5.1 or later can create the unique index "
                + "idx_tenant_plugin (docs/daemon/database.md#tables, docs/daemon/issues.md#issues PR #533). plugins.refers of the affected versions is recomputed in the same transaction."));
            foreach (var row in rows)
            {
                fix.Fact(new RepairFact.Row("plugin_installations", RowJson.Id(row), row));
            }

            fix.Fact(new RepairFact.RowCount("plugin_installations", where, rows.Count));
            foreach (var row in rows.Where(r => RowJson.Id(r) != keptId))
            {
                var id = RowJson.Id(row);
                fix.Step(new RepairStep.DeleteRow("plugin_installations", id));
                plan.ClaimRow("plugin_installations", id, fix);
                var identifier = RowJson.Text(row, "plugin_unique_identifier") ?? string.Empty;
                plan.DeletedInstallations[identifier] = plan.DeletedInstallations.GetValueOrDefault(identifier) + 1;
                plan.InstallationRemovers.TryAdd(identifier, fix);
            }

            plan.Answer(fix, finding);
        }
    }

    /// <summary>Deletes category rows whose tenant has no installation of their plugin (uninstall deletes both, docs/daemon/storage.md#lifecycle).</summary>
    public static async Task PlanOrphanCategoryRowsAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.CategoryRowOrphan))
        {
            if (finding.Details?.GetValueOrDefault("duplicateOf") is { } kept)
            {
                plan.ToManual(finding, $"The row duplicates {finding.Table} row {kept} of the same installation. Reinstall the plugin for the tenant in Dify, or delete one of the two rows.");
                continue;
            }

            if (finding.Table is not { } table || finding.RowId is not { } id || await plan.State.RowAsync(table, id, cancellationToken) is not { } row)
            {
                plan.Resolved(finding);
                continue;
            }

            var where = Where.TenantPlugin(RowJson.Text(row, "tenant_id"), RowJson.Text(row, "plugin_id"));
            if (await plan.State.CountAsync("plugin_installations", where, cancellationToken) > 0)
            {
                plan.Resolved(finding);
                continue;
            }

            var fix = plan.Add(new FixDraft(
                RepairKind.DeleteCategoryRow,
                $"Delete {table} row {id} (tenant {finding.TenantId}, {finding.PluginId}, provider {RowJson.Text(row, "provider")}); the tenant has no installation of {finding.PluginId}",
                "Dify stops listing this provider for the tenant, whose calls to it failed because the plugin is not installed; uninstall deletes the row the "
                + "same way (docs/daemon/database.md#invariants item 4, docs/daemon/storage.md#lifecycle)."));
            fix.Fact(new RepairFact.Row(table, id, row))
               .Fact(new RepairFact.RowCount("plugin_installations", where, 0))
               .Step(new RepairStep.DeleteRow(table, id));
            plan.Answer(fix, finding);
            plan.ClaimRow(table, id, fix);
        }
    }

    /// <summary>Inserts the category row InstallPlugin would have written (tenant, provider, identifier, plugin id).</summary>
    public static async Task PlanMissingCategoryRowsAsync(PlanBuilder plan, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        var duplicates = findings.Where(f => f.Rule == RuleIds.DuplicateInstallation).Select(f => (f.TenantId, f.PluginId)).ToHashSet();
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.CategoryRowMissing))
        {
            var details = finding.Details ?? new Dictionary<string, string>();
            var table = details.GetValueOrDefault("expectedTable");
            var provider = details.GetValueOrDefault("provider");
            if (details.GetValueOrDefault("staleIn") is { Length: > 0 } stale)
            {
                plan.ToManual(finding, $"The tenant's {stale} row belongs to another version of the plugin (an upgrade that did not finish). Upgrade or reinstall the plugin for the tenant in Dify.");
                continue;
            }

            if (details.GetValueOrDefault("presentIn") is { Length: > 0 } present)
            {
                plan.ToManual(finding, $"The tenant has rows in {present} instead: the declaration and the rows disagree about the plugin's category. Reinstall the plugin for the tenant in Dify.");
                continue;
            }

            if (table is null || string.IsNullOrEmpty(provider) || finding.RowId is not { } installationId)
            {
                plan.ToManual(finding, "The declaration names no provider for the category row. Reinstall the plugin for the tenant in Dify.");
                continue;
            }

            if (duplicates.Contains((finding.TenantId, finding.PluginId)))
            {
                plan.ToManual(finding, "The tenant has several installations of this plugin (duplicate-installation): resolve those first, then plan again.");
                continue;
            }

            var required = plan.Schema.Table(table)?.Columns.Where(c => !c.IsNullable && c.Default is null && !FilledColumns.Contains(c.Name)).Select(c => c.Name).ToList() ?? [];
            if (required.Count > 0 || plan.Schema.Table(table) is null)
            {
                plan.ToManual(finding, $"{table} in this schema requires column(s) {string.Join(", ", required)} that repair cannot fill (a legacy schema, docs/daemon/database.md#schema-history). Reinstall the plugin for the tenant in Dify.");
                continue;
            }

            if (await plan.State.RowAsync("plugin_installations", installationId, cancellationToken) is not { } installation)
            {
                plan.Resolved(finding);
                continue;
            }

            var tenant = RowJson.Text(installation, "tenant_id");
            var pluginId = RowJson.Text(installation, "plugin_id");
            var where = Where.TenantPlugin(tenant, pluginId);
            if (await plan.State.CountAsync(table, where, cancellationToken) > 0)
            {
                plan.Resolved(finding);
                continue;
            }

            // The daemon writes UUIDv7 ids since 0.5.2 (docs/daemon/database.md#base-model); the id is fixed in the plan so the backup's
            // restore script can delete exactly this row.
            var id = Guid.CreateVersion7().ToString();
            var values = new Dictionary<string, JsonElement>
            {
                ["id"] = RowJson.Value(id),
                ["tenant_id"] = RowJson.Value(tenant),
                ["provider"] = RowJson.Value(provider),
                ["plugin_unique_identifier"] = RowJson.Value(RowJson.Text(installation, "plugin_unique_identifier")),
                ["plugin_id"] = RowJson.Value(pluginId),
            };
            var fix = plan.Add(new FixDraft(
                RepairKind.InsertCategoryRow,
                $"Insert the {table} row of tenant {tenant} for {pluginId} (provider {provider}), as install writes it",
                $"Dify lists provider {provider} for the tenant again and the tenant can use it (docs/daemon/database.md#tables, docs/daemon/database.md#invariants item 4: InstallPlugin writes tenant, provider, "
                + "identifier and plugin id)."));
            fix.Fact(new RepairFact.Row("plugin_installations", installationId, installation))
               .Fact(new RepairFact.RowCount(table, where, 0))
               .Step(new RepairStep.InsertRow(table, id, values));
            plan.Answer(fix, finding);
        }
    }

    private static async Task<JsonElement?> ChooseAsync(PlanBuilder plan, IReadOnlyList<JsonElement> rows, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken)
    {
        var identifiers = rows.Select(r => RowJson.Text(r, "plugin_unique_identifier")).Distinct(StringComparer.Ordinal).ToList();
        if (identifiers.Count == 1)
        {
            return rows[0];
        }

        var used = new HashSet<string?>(StringComparer.Ordinal);
        foreach (var table in RepairTables.CategoryTables(plan.Schema))
        {
            foreach (var row in await plan.State.RowsAsync(table, where, cancellationToken))
            {
                used.Add(RowJson.Text(row, "plugin_unique_identifier"));
            }
        }

        var candidates = rows.Where(r => used.Count == 1 && used.Contains(RowJson.Text(r, "plugin_unique_identifier"))).ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }
}
