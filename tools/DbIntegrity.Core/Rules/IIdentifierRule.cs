namespace DbIntegrity.Core.Rules;

/// <summary>
/// A rule over everything known about one plugin_unique_identifier (or one key under the installed prefix): its
/// installed marker, its package object, its plugins and plugin_declarations rows. The scanner builds these groups by
/// merging the sorted listings with the sorted tables.
/// </summary>
public interface IIdentifierRule : IIntegrityRule
{
    void Evaluate(IdentifierGroup group, RuleContext context);
}
