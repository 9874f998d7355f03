namespace DbIntegrity.Core.Rules;

/// <summary>A rule over one asset id: the object under the media prefix and the declarations that reference it.</summary>
public interface IAssetRule : IIntegrityRule
{
    void Evaluate(AssetGroup group, RuleContext context);
}
