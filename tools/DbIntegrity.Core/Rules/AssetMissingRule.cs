namespace DbIntegrity.Core.Rules;

/// <summary>
/// An icon id in a declaration with no object under the media prefix: the daemon's asset endpoint answers 404 and Dify
/// shows a broken icon (docs/daemon/storage.md#other-readers, docs/daemon/packages.md#declaration, docs/daemon/rules.md#icons). A warning: nothing fails but the picture.
/// </summary>
internal sealed class AssetMissingRule : IAssetRule
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
        if ((group.Object is not null && CanBeAssetId(group.AssetId)) || group.FirstReference is not { } reference)
        {
            return;
        }

        var key = context.Layout.AssetKey(group.AssetId);
        if (group.FirstReference is { } named && !CanBeAssetId(group.AssetId))
        {
            // No request: a HEAD of such a key is refused by some endpoints, and no object can be the icon anyway.
            context.Report(
                $"{named.Field} of {named.Identifier} ({named.Table} {named.RowId}) holds {Shown(group.AssetId)}, which cannot be an asset id (the daemon names "
                + $"icons <sha256><ext>, media_transport/assets_bucket.go, and serves them by one URL path segment). Dify shows a broken icon; uploading the "
                + $"package again rewrites the field.",
                new FindingLocation { Table = named.Table, RowId = named.RowId, Identifier = named.Identifier, ObjectKey = key },
                named.Newest);
            return;
        }

        var others = group.ReferenceCount > 1 ? $" and {group.ReferenceCount - 1} more reference(s)" : string.Empty;
        context.Report(
            $"{key} does not exist, but {reference.Field} of {reference.Identifier} ({reference.Table} {reference.RowId}){others} names it. "
            + $"The daemon's asset endpoint answers 404 and Dify shows a broken icon; uploading the package again restores it.",
            new FindingLocation { Table = reference.Table, RowId = reference.RowId, Identifier = reference.Identifier, ObjectKey = key },
            reference.Newest,
            new Recheck.ObjectMissing(key));
    }

    // A NUL or a '/' can never come out of the daemon's id (hex digits and a file extension of the last path element).
    private static bool CanBeAssetId(string id) => id.Length > 0 && !id.Contains('\0', StringComparison.Ordinal) && !id.Contains('/', StringComparison.Ordinal);

    private static string Shown(string id) => "\"" + id.Replace("\0", "\\u0000", StringComparison.Ordinal) + "\"";
}
