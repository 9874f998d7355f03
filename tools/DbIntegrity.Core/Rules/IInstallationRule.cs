namespace DbIntegrity.Core.Rules;

/// <summary>
/// A rule over one <c>plugin_installations</c> row beside everything known about its identifier. The identifier pass
/// reads installations ordered by identifier (<see cref="InstallationRow.Sql"/>) and streams them, one row at a time,
/// after the identifier's group: the declaration the group already parsed serves every tenant that installed it.
/// </summary>
internal interface IInstallationRule : IIntegrityRule
{
    void Evaluate(IdentifierGroup group, InstallationRow installation, RuleContext context);

    /// <summary>
    /// True when <paramref name="digest"/> proves that <see cref="Evaluate"/> reports nothing for any installation it
    /// counts; false sends them to be read in full. It must never be true where Evaluate could report: a finding
    /// would be lost. False where it would not only costs a read.
    /// </summary>
    bool IsSettled(IdentifierGroup group, InstallationDigest digest, RuleContext context);
}
