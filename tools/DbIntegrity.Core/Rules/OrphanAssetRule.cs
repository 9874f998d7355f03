namespace DbIntegrity.Core.Rules;

/// <summary>An object under the media prefix no declaration names. Nothing deletes assets (docs/daemon/storage.md#lifecycle, docs/daemon/rules.md#harmless-orphans).</summary>
public sealed class OrphanAssetRule : IAssetRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "orphan-asset",
        Severity = Severity.Info,
        Summary = "An assets/ object no declaration references (upstream never deletes assets).",
        RequiredColumns = new Dictionary<string, string[]> { ["plugin_declarations"] = ["declaration"] },
    };

    public void Evaluate(AssetGroup group, RuleContext context)
    {
        if (group.Object is not { } asset || group.ReferenceCount > 0)
        {
            return;
        }

        context.Report(
            $"{asset.Key} ({asset.Size} bytes) is not named by any stored declaration. Harmless: assets of uninstalled or re-uploaded plugins are never deleted.",
            new FindingLocation { ObjectKey = asset.Key },
            asset.LastModified);
    }
}
