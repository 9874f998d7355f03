using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>
/// A JSON report with only its first <paramref name="Max"/> findings of at least <paramref name="Minimum"/> severity (what
/// a row of the run history keeps); <paramref name="Reason"/> says where the rest is listed.
/// </summary>
internal sealed record FindingsExcerpt(int Max, Severity Minimum, string Reason);
