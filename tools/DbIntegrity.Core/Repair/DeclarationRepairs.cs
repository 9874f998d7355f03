using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Declarations that cannot be served: deleted only when no <c>plugins</c> row and no installation uses the
/// identifier. Declarations with no plugins row are normal (docs/daemon/database.md#invariants item 5), and the daemon's upload inserts
/// the row again when it is missing (docs/daemon/storage.md#lifecycle "Upload"), so deleting an unused one loses nothing the next upload does not
/// bring back, while it stops Dify from skipping that upload (daemon#736).
/// </summary>
internal static class DeclarationRepairs
{
    public static async Task PlanInvalidAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.DeclarationInvalid))
        {
            if (finding.Table == "plugins")
            {
                plan.ToManual(finding,
                    "This is a debugging (remote) plugin's declaration; only the plugin itself can send a valid one. Reconnect the debugging plugin, "
                    + "which makes the daemon write its rows again (docs/daemon/database.md#invariants item 8), or uninstall it in Dify.");
                continue;
            }

            await PlanDeleteUnusedAsync(plan, finding, packageMissing: false,
                "Installations or plugins rows use this version, so the declaration cannot simply go, and the daemon never rewrites an existing row (upload only inserts "
                + "a missing one, docs/daemon/storage.md#lifecycle). In a maintenance window: delete this plugin_declarations row and immediately upload the same package again in Dify.",
                cancellationToken);
        }
    }

    /// <summary>Deletes the finding's plugin_declarations row if nothing uses its identifier, else hands it to a person.</summary>
    public static async Task PlanDeleteUnusedAsync(PlanBuilder plan, Finding finding, bool packageMissing, string reasonWhenUsed, CancellationToken cancellationToken)
    {
        if (finding.RowId is not { } id || finding.Identifier is not { } identifier)
        {
            plan.ToManual(finding, "The finding names no declaration row and identifier; run check again and plan from a fresh scan.");
            return;
        }

        if (plan.RowOwner("plugin_declarations", id) is { } owner)
        {
            plan.Answer(owner, finding);
            return;
        }

        if (await plan.State.RowAsync("plugin_declarations", id, cancellationToken) is not { } row)
        {
            plan.Resolved(finding);
            return;
        }

        if (await plan.State.CountAsync("plugins", Where.Identifier(identifier), cancellationToken) > 0
            || await plan.State.CountAsync("plugin_installations", Where.Identifier(identifier), cancellationToken) > 0)
        {
            plan.ToManual(finding, reasonWhenUsed);
            return;
        }

        var packageKey = plan.Layout.PackageKey(identifier);
        var fix = plan.Add(new FixDraft(
            RepairKind.DeleteDeclaration,
            $"Delete plugin_declarations row {id} ({identifier}){(packageMissing ? $", whose package {packageKey} is gone" : ", whose declaration cannot be read")}; no plugins row or installation uses it",
            $"Dify no longer finds a manifest for {identifier}, so the next install or upgrade to it uploads the package again, and that upload writes this row and "
            + $"{packageKey} anew (docs/daemon/storage.md#lifecycle \"Upload\", docs/daemon/storage.md#the-30-second-loop, daemon#736). Readme records of this version are left alone (harmless, docs/daemon/database.md#invariants item 7)."));
        fix.Fact(new RepairFact.Row("plugin_declarations", id, row))
           .Fact(new RepairFact.RowCount("plugins", Where.Identifier(identifier), 0))
           .Fact(new RepairFact.RowCount("plugin_installations", Where.Identifier(identifier), 0));
        if (packageMissing)
        {
            fix.Fact(new RepairFact.ObjectAbsent(packageKey));
        }

        fix.Step(new RepairStep.DeleteRow("plugin_declarations", id));
        plan.Answer(fix, finding);
        plan.ClaimRow("plugin_declarations", id, fix);
    }
}
