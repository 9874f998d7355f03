namespace DbIntegrity.Core.Rules;

/// <summary>How bad a finding is. Only <see cref="Error"/> makes a check inconsistent and a gate block.</summary>
public enum Severity
{
    /// <summary>Waste the daemon never cleans up (docs/daemon/storage.md#lifecycle, docs/daemon/rules.md#harmless-orphans). Never fails anything.</summary>
    Info = 0,

    /// <summary>Not broken yet, but noisy or wrong (e.g. an installed marker with no plugins row).</summary>
    Warning = 1,

    /// <summary>The daemon fails because of it: plugins do not launch, installs or upgrades fail, errors every 30 s.</summary>
    Error = 2,
}
