using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// An icon id in a declaration with no object under the media prefix: the daemon's asset endpoint answers 404 and Dify
/// shows a broken icon (reference §3.6, §6.2, §7.7). A warning: nothing fails but the picture.
/// </summary>
public sealed class AssetMissingRule : IAssetRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "asset-missing",
        Severity = Severity.Warning,
        Summary = "An icon id in a declaration has no object under assets/.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugin_declarations"] = ["declaration"] },
    };

    public void Evaluate(AssetGroup group, RuleContext context)
    {
        if (group.Object is not null || group.FirstReference is not { } reference)
        {
            return;
        }

        var key = context.Layout.AssetKey(group.AssetId);
        var others = group.ReferenceCount > 1 ? $" and {group.ReferenceCount - 1} more reference(s)" : string.Empty;
        context.Report(
            $"{key} does not exist, but {reference.Field} of {reference.Identifier} ({reference.Table} {reference.RowId}){others} names it. "
            + "The daemon's asset endpoint answers 404 and Dify shows a broken icon; uploading the package again restores it.",
            new FindingLocation { Table = reference.Table, RowId = reference.RowId, Identifier = reference.Identifier, ObjectKey = key },
            reference.Newest,
            new Recheck.ObjectMissing(key));
    }
}
