namespace DbIntegrity.Core.Rules;

/// <summary>
/// One broken or suspicious reference. Data, not an exception. The locator fields (<see cref="Table"/>,
/// <see cref="RowId"/>, <see cref="Identifier"/>, <see cref="ObjectKey"/>, <see cref="TenantId"/>, <see cref="PluginId"/>) are set where they
/// apply; together with <see cref="Rule"/> they identify the finding across runs (baselines rely on that).
/// </summary>
public sealed record Finding
{
    /// <summary>The rule id, e.g. <c>declaration-package-missing</c>. A public contract.</summary>
    public required string Rule { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>What is wrong and what the daemon will do about it, in words an operator acts on.</summary>
    public required string Message { get; init; }

    public string? Table { get; init; }

    public string? RowId { get; init; }

    public string? Identifier { get; init; }

    /// <summary>The full object key, prefix included.</summary>
    public string? ObjectKey { get; init; }

    public string? TenantId { get; init; }

    /// <summary><c>author/name</c>, where the finding is about a plugin rather than one version of it.</summary>
    public string? PluginId { get; init; }

    /// <summary>Further facts a repair or a reader needs (e.g. the ids of duplicate rows, the expected refers).</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }

    /// <summary>The identity of this finding for baselines: rule and locators, not the message.</summary>
    public string Fingerprint => string.Join('|', Rule, Table, RowId, Identifier, ObjectKey, TenantId, PluginId);
}
