using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// <c>plugins</c> rows: duplicates of one identifier, refers that do not count the installations, plugin ids that are
/// not the identifier's <c>author/name</c> (docs/daemon/database.md#invariants items 1 and 2).
/// </summary>
internal static class PluginRowRepairs
{
    /// <summary>
    /// Keeps the row installs counted on (highest refers, then the oldest) and deletes the others. Nothing refers to
    /// plugins.id (docs/daemon/database.md#base-model: no foreign keys; every relation is on the identifier), so the choice only matters
    /// when the rows disagree about what the plugin is, and then a person decides.
    /// </summary>
    public static async Task PlanDuplicatesAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.DuplicatePluginRow))
        {
            var rows = await plan.State.RowsAsync("plugins", Where.Identifier(finding.Identifier), cancellationToken);
            if (rows.Count < 2)
            {
                plan.Resolved(finding);
                continue;
            }

            if (rows.Select(r => RowJson.Text(r, "install_type")).Distinct(StringComparer.Ordinal).Count() > 1
                || rows.Select(r => RowJson.Text(r, "remote_declaration")).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                plan.ToManual(finding,
                    "The rows disagree about the plugin (install_type or remote_declaration differ), so which one is right is a decision: delete the wrong "
                    + "rows by hand, then plan again to recompute refers.");
                continue;
            }

            var keep = rows.Select((r, i) => (Row: r, Index: i)).OrderByDescending(x => RowJson.Number(x.Row, "refers")).ThenBy(x => x.Index).First().Row;
            var keptId = RowJson.Id(keep);
            var fix = plan.Add(new FixDraft(
                RepairKind.RemoveDuplicatePluginRows,
                $"Keep plugins row {keptId} of {finding.Identifier}; delete {rows.Count - 1} duplicate(s)",
                "One plugins row per identifier again: upgrading the daemon to 0.5.4 or later can create the unique index idx_plugin_unique_identifier "
                + "(docs/daemon/database.md#schema-history, docs/daemon/issues.md#issues dify#38276). No row refers to plugins.id, and refers of the kept row is recomputed in the same transaction."));
            foreach (var row in rows)
            {
                fix.Fact(new RepairFact.Row("plugins", RowJson.Id(row), row));
            }

            fix.Fact(new RepairFact.RowCount("plugins", Where.Identifier(finding.Identifier), rows.Count));
            foreach (var id in rows.Select(RowJson.Id).Where(id => id != keptId))
            {
                fix.Step(new RepairStep.DeleteRow("plugins", id));
                plan.ClaimRow("plugins", id, fix);
                plan.DeletedPluginRows.Add(id);
            }

            plan.DeduplicatedIdentifiers.Add(finding.Identifier!);
            plan.Answer(fix, finding);
        }
    }

    /// <summary>
    /// Sets refers to the number of installations that remain once this plan's deletions are done, for every identifier
    /// with a refers-mismatch finding or whose installations or duplicate rows this plan removes.
    /// </summary>
    public static async Task PlanRefersAsync(PlanBuilder plan, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        var mismatches = findings.Where(f => f.Rule == RuleIds.RefersMismatch).ToList();
        foreach (var finding in mismatches.Where(f => f.Identifier is null))
        {
            plan.ToManual(finding, "The plugins row has no identifier, so no installation can point at it; delete the row by hand if nothing uses it.");
        }

        var identifiers = mismatches.Select(f => f.Identifier).OfType<string>()
            .Concat(plan.DeletedInstallations.Keys).Concat(plan.DeduplicatedIdentifiers)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var identifier in identifiers)
        {
            var count = await plan.State.CountAsync("plugin_installations", Where.Identifier(identifier), cancellationToken);
            var removed = plan.DeletedInstallations.GetValueOrDefault(identifier);
            var target = count - removed;
            var rows = (await plan.State.RowsAsync("plugins", Where.Identifier(identifier), cancellationToken)).Where(r => !plan.DeletedPluginRows.Contains(RowJson.Id(r))).ToList();
            var stale = rows.Where(r => RowJson.Number(r, "refers") != target).ToList();
            var answered = mismatches.Where(f => f.Identifier == identifier).ToList();
            if (stale.Count == 0)
            {
                foreach (var finding in answered)
                {
                    if (finding.RowId is { } id && plan.RowOwner("plugins", id) is { } owner)
                    {
                        plan.Answer(owner, finding);
                    }
                    else if (plan.InstallationRemovers.GetValueOrDefault(identifier) is { } remover)
                    {
                        plan.Answer(remover, finding);
                    }
                    else
                    {
                        plan.Resolved(finding);
                    }
                }

                continue;
            }

            var after = removed > 0 ? $" once this plan deletes {removed} duplicate installation(s)" : string.Empty;
            var fix = plan.Add(new FixDraft(
                RepairKind.RecomputeRefers,
                $"Set plugins.refers of {identifier} to {target}: {count} installation(s) point at it{after}",
                "refers counts the installations again, so the daemon deletes the plugins row and the installed marker when the last tenant uninstalls, "
                + "not before and not never (docs/daemon/database.md#invariants item 2)."));
            fix.Fact(new RepairFact.RowCount("plugin_installations", Where.Identifier(identifier), count));
            foreach (var row in stale)
            {
                var id = RowJson.Id(row);
                fix.Fact(new RepairFact.Row("plugins", id, row)).Set("plugins", id, "refers", RowJson.Value(target));
                plan.ClaimRow("plugins", id, fix);
            }

            foreach (var finding in answered)
            {
                plan.Answer(finding.RowId is { } id && plan.RowOwner("plugins", id) is { } owner ? owner : fix, finding);
            }
        }
    }

    /// <summary>
    /// Sets plugin_id on plugins and plugin_declarations rows, which the daemon finds by identifier. Installation and
    /// category rows pair with each other and with endpoints on (tenant_id, plugin_id), so changing one of them alone
    /// would break the pair: those are left to a person.
    /// </summary>
    public static async Task PlanPluginIdsAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.PluginIdMismatch))
        {
            if (finding.Table is not ("plugins" or "plugin_declarations") || finding.RowId is not { } id || !PluginUniqueIdentifier.TryParse(finding.Identifier, out var identifier))
            {
                plan.ToManual(finding,
                    $"{finding.Table} rows pair with the tenant's other rows and endpoints on (tenant_id, plugin_id); changing this one alone would break that pairing. "
                    + "Uninstall and reinstall the plugin for the tenant in Dify.");
                continue;
            }

            if (plan.RowOwner(finding.Table, id) is { } owner)
            {
                if (owner.Steps.Any(s => s is RepairStep.UpdateRow u && u.Table == finding.Table && u.Id == id))
                {
                    owner.Set(finding.Table, id, "plugin_id", RowJson.Value(identifier.PluginId));
                    owner.Summary += $"; set plugin_id to {identifier.PluginId}";
                }

                plan.Answer(owner, finding);
                continue;
            }

            if (await plan.State.RowAsync(finding.Table, id, cancellationToken) is not { } row)
            {
                plan.Resolved(finding);
                continue;
            }

            var fix = plan.Add(new FixDraft(
                RepairKind.FixPluginId,
                $"Set plugin_id of {finding.Table} row {id} to {identifier.PluginId} (was \"{RowJson.Text(row, "plugin_id")}\")",
                "The daemon finds this row by plugin_id for uninstall, upgrade and endpoints again (docs/daemon/database.md#invariants item 1)."));
            fix.Fact(new RepairFact.Row(finding.Table, id, row)).Set(finding.Table, id, "plugin_id", RowJson.Value(identifier.PluginId));
            plan.Answer(fix, finding);
            plan.ClaimRow(finding.Table, id, fix);
        }
    }
}
