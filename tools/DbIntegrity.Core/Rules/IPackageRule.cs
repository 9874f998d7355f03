namespace DbIntegrity.Core.Rules;

/// <summary>A --deep rule over one downloaded package. Called concurrently for different packages.</summary>
public interface IPackageRule : IIntegrityRule
{
    void Evaluate(PackageInspection package, RuleContext context);
}
