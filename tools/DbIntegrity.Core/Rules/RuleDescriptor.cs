namespace DbIntegrity.Core.Rules;

/// <summary>
/// What a rule checks and what it needs. <see cref="RequiredColumns"/> lets the scanner skip a rule on schemas that
/// predate its tables (older daemon versions) and say so in the report.
/// </summary>
public sealed record RuleDescriptor
{
    /// <summary>The public rule id (kebab-case).</summary>
    public required string Id { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>One line: what the rule finds.</summary>
    public required string Summary { get; init; }

    /// <summary>Tables the rule reads, each with the columns it needs (empty: the table alone).</summary>
    public IReadOnlyDictionary<string, string[]> RequiredColumns { get; init; } = new Dictionary<string, string[]>();

    /// <summary>Runs only with --deep (downloads packages).</summary>
    public bool DeepOnly { get; init; }
}
