namespace DbIntegrity.Core.Rules;

/// <summary>
/// A rule over one <c>plugin_installations</c> row beside everything known about its identifier. The identifier pass
/// reads installations ordered by identifier (<see cref="InstallationRow.Sql"/>) and streams them, one row at a time,
/// after the identifier's group: the declaration the group already parsed serves every tenant that installed it.
/// </summary>
internal interface IInstallationRule : IIntegrityRule
{
    void Evaluate(IdentifierGroup group, InstallationRow installation, RuleContext context);
}
