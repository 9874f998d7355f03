namespace DbIntegrity.Core.Rules;

/// <summary>
/// A consistency rule. Each rule is one class in <c>Rules/</c> with a public parameterless constructor and one of the
/// evaluation interfaces below; the scanner finds it by reflection, so a new rule is one new file plus its tests.
/// A fresh instance is made for every scan, so a rule may keep per-scan state in fields.
/// </summary>
public interface IIntegrityRule
{
    RuleDescriptor Descriptor { get; }
}
