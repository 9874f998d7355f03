using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// The plan under construction. It makes sure no row and no object is changed by two fixes (a second finding about
/// the same row joins the fix that already owns it), and remembers what earlier fixes will do, so later ones build on it.
/// </summary>
internal sealed class PlanBuilder(IRepairState state, RepairPlanOptions options)
{
    private readonly List<FixDraft> _fixes = [];
    private readonly List<ManualRepair> _manual = [];
    private readonly HashSet<string> _handled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FixDraft> _rowOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FixDraft> _objectOwners = new(StringComparer.Ordinal);

    public IRepairState State { get; } = state;

    public RepairPlanOptions Options { get; } = options;

    public StorageLayout Layout => State.Layout;

    public DatabaseSchema Schema => State.Schema;

    /// <summary>Installations this plan deletes, by identifier (refers are recomputed for them).</summary>
    public Dictionary<string, int> DeletedInstallations { get; } = new(StringComparer.Ordinal);

    /// <summary>The fixes that delete installations of each identifier (they answer its refers findings when no update is needed).</summary>
    public Dictionary<string, FixDraft> InstallationRemovers { get; } = new(StringComparer.Ordinal);

    /// <summary>Ids of plugins rows this plan deletes.</summary>
    public HashSet<string> DeletedPluginRows { get; } = new(StringComparer.Ordinal);

    /// <summary>Identifiers whose plugins rows this plan de-duplicates (their refers are recomputed).</summary>
    public HashSet<string> DeduplicatedIdentifiers { get; } = new(StringComparer.Ordinal);

    /// <summary>Mangled keys (under any daemon prefix) whose bytes verified as the identifier they look like, by that identifier.</summary>
    public Dictionary<string, string> VerifiedMangledKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Where this plan restores each identifier's package from.</summary>
    public Dictionary<string, ObjectSource> RestoredPackages { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<FixDraft> Fixes => _fixes;

    public IReadOnlyList<ManualRepair> Manual => _manual;

    public bool IsHandled(Finding finding) => _handled.Contains(finding.Fingerprint);

    public FixDraft Add(FixDraft fix)
    {
        _fixes.Add(fix);
        fix.Id = $"F{_fixes.Count}";
        return fix;
    }

    public void Answer(FixDraft fix, Finding finding)
    {
        fix.Answers(finding);
        _handled.Add(finding.Fingerprint);
    }

    /// <summary>The finding needs a person: say why and what to do.</summary>
    public void ToManual(Finding finding, string reason)
    {
        if (_handled.Add(finding.Fingerprint))
        {
            _manual.Add(new ManualRepair { Rule = finding.Rule, Severity = finding.Severity, Fingerprint = finding.Fingerprint, Message = finding.Message, Reason = reason });
        }
    }

    /// <summary>The finding no longer holds on the planning snapshot (the daemon fixed it meanwhile): nothing to do.</summary>
    public void Resolved(Finding finding) => _handled.Add(finding.Fingerprint);

    public FixDraft? RowOwner(string table, string id) => _rowOwners.GetValueOrDefault($"{table}/{id}");

    public void ClaimRow(string table, string id, FixDraft fix) => _rowOwners.Add($"{table}/{id}", fix);

    public FixDraft? ObjectOwner(string key) => _objectOwners.GetValueOrDefault(key);

    public void ClaimObject(string key, FixDraft fix) => _objectOwners.Add(key, fix);
}

/// <summary>An object a copy reads from: the daemon's bucket (<see cref="Bucket"/> null) or a backup's.</summary>
internal sealed record ObjectSource(string? Bucket, string Key)
{
    public string Describe() => Bucket is null ? Key : $"the backup copy s3://{Bucket}/{Key}";

    public override string ToString() => Bucket is null ? Key : $"s3://{Bucket}/{Key}";
}
