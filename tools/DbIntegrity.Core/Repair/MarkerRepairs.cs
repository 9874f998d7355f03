using System.Text.Json;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Installed markers: restore <c>plugin/&lt;P&gt;</c> for a local plugin in use (docs/daemon/storage.md#the-30-second-loop "Silent", docs/daemon/rules.md#local-plugins-need-both-objects) from a
/// verified copy, and (with --include-warnings) delete markers no plugins row has, as uninstall does (docs/daemon/storage.md#lifecycle).
/// </summary>
internal static class MarkerRepairs
{
    /// <summary>Restores plugin/&lt;P&gt; for local plugins in use (docs/daemon/storage.md#the-30-second-loop "Silent", docs/daemon/rules.md#local-plugins-need-both-objects).</summary>
    public static async Task PlanMarkersAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.PluginInstalledObjectMissing))
        {
            if (!PluginUniqueIdentifier.TryParse(finding.Identifier, out var identifier))
            {
                plan.ToManual(finding, "The identifier is not valid, so no package can be verified for it (see identifier-invalid).");
                continue;
            }

            var markerKey = plan.Layout.InstalledKey(identifier.Value);
            if (plan.ObjectOwner(markerKey) is { } owner)
            {
                plan.Answer(owner, finding);
                continue;
            }

            var source = await MarkerSourceAsync(plan, identifier, cancellationToken);
            if (source is null)
            {
                plan.ToManual(finding,
                    $"No verified copy of {identifier.Value} exists (plugin_packages/, a mangled key or a --from-backup backup). Reinstall the plugin: in Dify, install "
                    + "this version again from the marketplace or the .difypkg file; the install copies the package to plugin/ (docs/daemon/storage.md#lifecycle).");
                continue;
            }

            var (fix, why) = await PlanMarkerFromAsync(plan, identifier.Value, source.Value.Source, source.Value.Description, cancellationToken);
            if (fix is not null)
            {
                plan.Answer(fix, finding);
            }
            else if (why is not null)
            {
                plan.ToManual(finding, why);
            }
            else
            {
                plan.Resolved(finding);
            }
        }
    }

    /// <summary>(--include-warnings) Deletes installed markers with no plugins row, as uninstall does (docs/daemon/storage.md#lifecycle).</summary>
    public static async Task PlanStrayMarkersAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.InstalledKeyWithoutPluginRow))
        {
            if (finding.Identifier is not { } identifier || finding.ObjectKey is not { } key || await plan.State.HeadAsync(key, cancellationToken) is not { } stored
                || await plan.State.CountAsync("plugins", Where.Identifier(identifier), cancellationToken) > 0)
            {
                plan.Resolved(finding);
                continue;
            }

            var fix = plan.Add(new FixDraft(
                RepairKind.DeleteInstalledKey,
                $"Delete {key}, the installed marker of {identifier}, which no plugins row has",
                "Daemon 0.6.2 and later stop logging 'Plugin table missing for existing PLUGIN_INSTALLED_PATH' every 30 seconds; older daemons stop launching "
                + "this uninstalled plugin (docs/daemon/storage.md#the-30-second-loop b, daemon#747, #353). Uninstall deletes the marker the same way (docs/daemon/storage.md#lifecycle); the backup keeps a copy."));
            fix.Fact(new RepairFact.ObjectPresent(key, stored.ETag, stored.Size))
               .Fact(new RepairFact.RowCount("plugins", Where.Identifier(identifier), 0))
               .Step(new RepairStep.DeleteObject(key, stored.ETag, stored.Size));
            plan.Answer(fix, finding);
            plan.ClaimObject(key, fix);
        }
    }

    private static async Task<(ObjectSource Source, string Description)?> MarkerSourceAsync(PlanBuilder plan, PluginUniqueIdentifier identifier, CancellationToken cancellationToken)
    {
        var packageKey = plan.Layout.PackageKey(identifier.Value);
        if (plan.RestoredPackages.GetValueOrDefault(identifier.Value) is { } restored)
        {
            return (restored, "the same verified copy the package is restored from");
        }

        if (await plan.State.HeadAsync(packageKey, cancellationToken) is not null && await plan.State.ChecksumAsync(null, packageKey, cancellationToken) == identifier.Checksum)
        {
            return (new ObjectSource(null, packageKey), $"{packageKey}, as install does");
        }

        if (await MangledCopies.FindAsync(plan, identifier, cancellationToken) is { } mangled)
        {
            return (mangled, $"the mangled key {mangled.Key}");
        }

        return await ObjectRepairs.BackupSourceAsync(plan, identifier, cancellationToken, plan.Layout.InstalledKey(identifier.Value), packageKey) is { } backup
            ? (backup, $"the backup copy s3://{backup.Bucket}/{backup.Key}")
            : null;
    }

    // A marker is restored only for a local plugin in use whose package exists or is restored by this plan: a marker
    // without its package would turn a silent failure into a launch error every 30 seconds (docs/daemon/storage.md#the-30-second-loop).
    // Returns no fix and no reason when the marker is no longer needed (not installed locally, or present again).
    internal static async Task<(FixDraft? Fix, string? Why)> PlanMarkerFromAsync(PlanBuilder plan, string identifier, ObjectSource source, string description, CancellationToken cancellationToken)
    {
        var markerKey = plan.Layout.InstalledKey(identifier);
        var inUse = (await plan.State.RowsAsync("plugins", Where.Identifier(identifier), cancellationToken)).Where(r => RowJson.Number(r, "refers") > 0).ToList();
        var rows = inUse.Where(r => RowJson.Text(r, "install_type") == "local").ToList();
        if (rows.Count == 0 && inUse.Where(r => !Rules.DaemonVocabulary.IsKnown(Rules.DaemonVocabulary.RuntimeTypes, RowJson.Text(r, "install_type"))).Select(r => (JsonElement?)r).FirstOrDefault() is { } unknown)
        {
            // Not "no longer needed": the row's type is one the daemon never writes (daemon-value-unknown), so whether
            // it needs plugin/<P> cannot be decided here.
            var type = RowJson.Text(unknown, "install_type") is { } text ? $"'{text}'" : "NULL";
            return (null,
                $"plugins.install_type of {identifier} is {type}, a value the daemon never writes, so repair cannot tell whether it needs {markerKey}. "
                + "Set install_type to the type it was installed with (see daemon-value-unknown), then plan again.");
        }

        if (rows.Count == 0 || plan.ObjectOwner(markerKey) is not null || await plan.State.HeadAsync(markerKey, cancellationToken) is not null)
        {
            return (null, null);
        }

        if (!plan.RestoredPackages.ContainsKey(identifier) && await plan.State.HeadAsync(plan.Layout.PackageKey(identifier), cancellationToken) is null)
        {
            return (null,
                $"plugin_packages/{identifier} is missing too and no verified copy can restore it; restoring only plugin/ would make the daemon fail to launch it every "
                + "30 seconds instead of silently (docs/daemon/storage.md#the-30-second-loop). Upload the package again (install this version from the marketplace or the .difypkg file).");
        }

        var fix = plan.Add(new FixDraft(
            RepairKind.RestoreInstalledMarker,
            $"Restore {markerKey} from {description} (checksum (docs/daemon/packages.md#checksum) verified)",
            $"The daemon's 30-second loop lists plugin/ and launches {identifier} on its next pass (docs/daemon/storage.md#the-30-second-loop); calls to it stop failing with 'no available node'."));
        foreach (var row in rows)
        {
            fix.Fact(new RepairFact.Row("plugins", RowJson.Id(row), row));
        }

        fix.Fact(new RepairFact.ObjectAbsent(markerKey))
           .Step(new RepairStep.CopyObject(source.Bucket, source.Key, markerKey, PluginUniqueIdentifier.Parse(identifier).Checksum, null));
        plan.ClaimObject(markerKey, fix);
        return (fix, null);
    }
}
