using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>
/// One accepted finding. <see cref="Fingerprint"/> is what matches (rule and locators, <see cref="Finding.Fingerprint"/>);
/// the rule, severity and message are there for the humans who review the file.
/// </summary>
public sealed record BaselineEntry(string Fingerprint, string Rule, Severity Severity, string Message);
