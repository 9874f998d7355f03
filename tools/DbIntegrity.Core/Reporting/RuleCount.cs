using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>How many findings one rule reported (listed or only counted).</summary>
public sealed record RuleCount(string Rule, Severity Severity, int Count);
