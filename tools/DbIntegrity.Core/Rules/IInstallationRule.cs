namespace DbIntegrity.Core.Rules;

/// <summary>
/// A rule over one <c>plugin_installations</c> row beside everything known about its identifier. The identifier pass
/// reads a digest of each identifier's installations in its order (<see cref="InstallationDigest"/>) and, where that
/// does not settle the rule, its installations in full (<see cref="InstallationRow.Sql"/>), each with the identifier's
/// group: the declaration the group already parsed serves every tenant that installed it. Installations whose
/// identifier is NULL come last, with an empty group (no plugins row or declaration can match them).
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
