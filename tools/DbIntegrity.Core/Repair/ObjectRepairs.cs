using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Fixes for objects: restore a missing or unusable package, and delete keys under <c>plugin/</c> the daemon cannot use
/// (markers: <see cref="MarkerRepairs"/>). A copy is planned only from bytes whose checksum (docs/daemon/packages.md#checksum) is the identifier's
/// (docs/daemon/packages.md#checksum, docs/daemon/rules.md#checksums), so a restore can never put another package under an identifier.
/// </summary>
internal static class ObjectRepairs
{
    private static readonly string[] PackageRules =
    [
        RuleIds.DeclarationPackageMissing, RuleIds.PluginPackageMissing, RuleIds.InstalledPackageMissing, RuleIds.PackageChecksumMismatch, RuleIds.PackageUnreadable,
    ];

    /// <summary>Mangled keys (dify#22741) whose bytes are the package of the identifier they look like.</summary>
    public static async Task FindVerifiedMangledKeysAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.InstalledKeyInvalid && f.ObjectKey is not null))
        {
            if (finding.Details?.GetValueOrDefault("likelyIdentifier") is { } likely && PluginUniqueIdentifier.TryParse(likely, out var parsed)
                && await plan.State.ChecksumAsync(null, finding.ObjectKey!, cancellationToken) == parsed.Checksum)
            {
                plan.VerifiedMangledKeys.TryAdd(likely, finding.ObjectKey!);
            }
        }
    }

    /// <summary>Restores packages (docs/daemon/storage.md#lifecycle "Launch", docs/daemon/rules.md#local-plugins-need-both-objects); where no verified copy exists, falls back per rule.</summary>
    public static async Task PlanPackagesAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var group in findings.Where(f => PackageRules.Contains(f.Rule)).GroupBy(f => f.Identifier ?? string.Empty, StringComparer.Ordinal))
        {
            if (!PluginUniqueIdentifier.TryParse(group.Key, out var identifier))
            {
                foreach (var finding in group)
                {
                    plan.ToManual(finding, "The identifier is not valid, so no package can be verified for it (see identifier-invalid).");
                }

                continue;
            }

            var packageKey = plan.Layout.PackageKey(identifier.Value);
            var current = await plan.State.HeadAsync(packageKey, cancellationToken);
            var replacing = group.Any(f => f.Rule is RuleIds.PackageChecksumMismatch or RuleIds.PackageUnreadable);
            if (current is not null && !replacing)
            {
                foreach (var finding in group)
                {
                    plan.Resolved(finding);
                }

                continue;
            }

            var source = await PackageSourceAsync(plan, identifier, cancellationToken);
            if (source is not null)
            {
                var replaces = current is null ? null : new RepairFact.ObjectPresent(current.Key, current.ETag, current.Size);
                var fix = plan.Add(new FixDraft(
                    RepairKind.RestorePackage,
                    $"{(current is null ? "Restore" : "Replace the unusable")} {packageKey} with {source.Describe()} (checksum (docs/daemon/packages.md#checksum) verified)",
                    $"The daemon reads plugin_packages/ to launch, install and decode {identifier.Value} (docs/daemon/storage.md#lifecycle \"Launch\", docs/daemon/storage.md#other-readers): launches stop failing every 30 seconds "
                    + "and installing or upgrading to this version works again (daemon#736). The copy is written only if its bytes' checksum (docs/daemon/packages.md#checksum) is the identifier's."));
                fix.Fact(replaces is null ? new RepairFact.ObjectAbsent(packageKey) : replaces)
                   .Step(new RepairStep.CopyObject(source.Bucket, source.Key, packageKey, identifier.Checksum, replaces));
                foreach (var finding in group)
                {
                    plan.Answer(fix, finding);
                }

                plan.ClaimObject(packageKey, fix);
                plan.RestoredPackages[identifier.Value] = source;
                continue;
            }

            foreach (var finding in group)
            {
                await PlanWithoutCopyAsync(plan, finding, identifier, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Mangled keys: always deleted (after the backup), because the daemon can never use them. When the identifier
    /// they stand for is installed locally and its marker is missing, the verified bytes are first restored under the
    /// right name. An identifier nobody has installed is not restored: a new plugin/&lt;P&gt; would make daemons
    /// before 0.6.2 launch an uninstalled plugin and later ones log "Plugin table missing" (docs/daemon/storage.md#the-30-second-loop b, daemon#747).
    /// </summary>
    public static async Task PlanInvalidKeysAsync(PlanBuilder plan, IEnumerable<Finding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings.Where(f => f.Rule == RuleIds.InstalledKeyInvalid))
        {
            if (finding.ObjectKey is not { } key || await plan.State.HeadAsync(key, cancellationToken) is not { } stored)
            {
                plan.Resolved(finding);
                continue;
            }

            FixDraft? restore = null;
            if (finding.Details?.GetValueOrDefault("likelyIdentifier") is { } likely && plan.VerifiedMangledKeys.GetValueOrDefault(likely) == key)
            {
                (restore, _) = await MarkerRepairs.PlanMarkerFromAsync(plan, likely, new ObjectSource(null, key), $"the mangled key {key}", cancellationToken);
            }

            var fix = plan.Add(new FixDraft(
                RepairKind.DeleteInstalledKey,
                $"Delete {key} ({stored.Size} bytes){(restore is null ? string.Empty : $" after {restore.Id} restores it under its real name")}",
                "The daemon's 30-second loop stops logging 'plugin_unique_identifier is not valid' for this key; daemons before 0.2.0 launch plugins again "
                + "(docs/daemon/storage.md#listing, docs/daemon/storage.md#the-30-second-loop, dify#22741). No row refers to it; the backup keeps a copy."));
            fix.Fact(new RepairFact.ObjectPresent(key, stored.ETag, stored.Size)).Step(new RepairStep.DeleteObject(key, stored.ETag, stored.Size));
            plan.Answer(fix, finding);
            plan.ClaimObject(key, fix);
        }
    }

    private static async Task PlanWithoutCopyAsync(PlanBuilder plan, Finding finding, PluginUniqueIdentifier identifier, CancellationToken cancellationToken)
    {
        const string Reupload =
            "Upload the package again: in Dify, install this version from the marketplace or from the .difypkg file (that path uploads it; an upgrade "
            + "does not, daemon#736), or make a plan with --from-backup pointing at a backup that holds it.";
        switch (finding.Rule)
        {
            case RuleIds.DeclarationPackageMissing:
                await DeclarationRepairs.PlanDeleteUnusedAsync(plan, finding, packageMissing: true, $"Installations or plugins rows still use {identifier.Value}, so deleting its declaration would break them (installation-declaration-missing). " + Reupload, cancellationToken);
                break;
            case RuleIds.InstalledPackageMissing:
                var markerKey = plan.Layout.InstalledKey(identifier.Value);
                if (await plan.State.CountAsync("plugins", Where.Identifier(identifier.Value), cancellationToken) == 0
                    && await plan.State.HeadAsync(markerKey, cancellationToken) is { } stored && plan.ObjectOwner(markerKey) is null)
                {
                    var fix = plan.Add(new FixDraft(
                        RepairKind.DeleteInstalledKey,
                        $"Delete {markerKey}: it is not the package of {identifier.Value} (its checksum (docs/daemon/packages.md#checksum) differs) and no plugins row has that identifier",
                        "The daemon's 30-second loop stops trying to launch a plugin whose package is missing (docs/daemon/storage.md#the-30-second-loop) and nothing is installed under "
                        + "that identifier; uninstall deletes the marker the same way (docs/daemon/storage.md#lifecycle). The backup keeps a copy."));
                    fix.Fact(new RepairFact.ObjectPresent(markerKey, stored.ETag, stored.Size))
                       .Fact(new RepairFact.RowCount("plugins", Where.Identifier(identifier.Value), 0))
                       .Step(new RepairStep.DeleteObject(markerKey, stored.ETag, stored.Size));
                    plan.Answer(fix, finding);
                    plan.ClaimObject(markerKey, fix);
                }
                else
                {
                    plan.ToManual(finding, $"plugin/{identifier.Value} is not a verified copy of the package (its checksum (docs/daemon/packages.md#checksum) differs or it is unreadable) and the plugin is installed. " + Reupload);
                }

                break;
            default:
                plan.ToManual(finding, $"No verified copy of {identifier.Value} exists (plugin/, a mangled key or a --from-backup backup). " + Reupload);
                break;
        }
    }

    private static async Task<ObjectSource?> PackageSourceAsync(PlanBuilder plan, PluginUniqueIdentifier identifier, CancellationToken cancellationToken)
    {
        var markerKey = plan.Layout.InstalledKey(identifier.Value);
        if (await plan.State.HeadAsync(markerKey, cancellationToken) is not null && await plan.State.ChecksumAsync(null, markerKey, cancellationToken) == identifier.Checksum)
        {
            return new ObjectSource(null, markerKey);
        }

        if (await MangledCopies.FindAsync(plan, identifier, cancellationToken) is { } mangled)
        {
            return mangled;
        }

        return await BackupSourceAsync(plan, identifier, cancellationToken, plan.Layout.PackageKey(identifier.Value), markerKey);
    }

    internal static async Task<ObjectSource?> BackupSourceAsync(PlanBuilder plan, PluginUniqueIdentifier identifier, CancellationToken cancellationToken, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (plan.State.FindBackupCopy(key) is { } copy && await plan.State.ChecksumAsync(copy.Bucket, copy.Key, cancellationToken) == identifier.Checksum)
            {
                return new ObjectSource(copy.Bucket, copy.Key);
            }
        }

        return null;
    }
}
