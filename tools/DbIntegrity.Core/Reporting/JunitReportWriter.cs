using System.Globalization;
using System.Xml.Linq;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>
/// A JUnit XML report in which every rule is a test case, so CI shows which rule failed: error findings are a
/// failure, a rule skipped on this schema is skipped, an incomplete scan is an error. Warnings and info are listed in
/// system-out without failing.
/// </summary>
public static class JunitReportWriter
{
    /// <summary>A test case of the report; the gate adds its preconditions and migration checks as cases too.</summary>
    public sealed record TestCase(string ClassName, string Name, string? Failure, string? FailureDetail, string? Skipped, string? Output, string? Error = null);

    public static string Write(ScanReport report, string suiteName = "dbintegrity check") =>
        Write(suiteName, report.Duration, CasesFor(report));

    public static string Write(string suiteName, TimeSpan duration, IReadOnlyList<TestCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var failures = cases.Count(c => c.Failure is not null);
        var errors = cases.Count(c => c.Error is not null);
        var skipped = cases.Count(c => c.Skipped is not null);
        var time = duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var suite = new XElement("testsuite",
            new XAttribute("name", suiteName),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("skipped", skipped),
            new XAttribute("time", time),
            cases.Select(ToElement));
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites",
            new XAttribute("name", "dbintegrity"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("time", time),
            suite));
        return document.Declaration + Environment.NewLine + document.Root;
    }

    public static IReadOnlyList<TestCase> CasesFor(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cases = new List<TestCase>();
        if (report.Status == ScanStatus.Incomplete)
        {
            cases.Add(new TestCase("dbintegrity.scan", "scan completed", null, null, null, null, report.IncompleteReason ?? "incomplete"));
        }

        foreach (var rule in report.RulesRun)
        {
            var findings = report.Findings.Where(f => f.Rule == rule).ToList();
            var count = report.CountsByRule.GetValueOrDefault(rule);
            var lines = string.Join(Environment.NewLine, findings.Select(f => $"[{f.Severity}]{(report.IsAccepted(f) ? " (accepted by the baseline)" : string.Empty)} {f.Message}"));
            // An error the baseline accepts stays visible in the output but fails nothing.
            var blocking = findings.Count(f => f.Severity == Severity.Error && !report.IsAccepted(f));
            var accepted = findings.Count(report.IsAccepted);
            cases.Add(new TestCase(
                "dbintegrity.rules",
                rule,
                blocking > 0 ? $"{(accepted > 0 ? $"{blocking} new error finding(s), {accepted} accepted by the baseline" : $"{count} finding(s)")}" : null,
                blocking > 0 ? lines : null,
                null,
                blocking == 0 && count > 0 ? lines : null));
        }

        cases.AddRange(report.RulesSkipped.Select(s => new TestCase("dbintegrity.rules", s.Rule, null, null, s.Reason, null)));
        return cases;
    }

    private static XElement ToElement(TestCase c)
    {
        var element = new XElement("testcase", new XAttribute("classname", c.ClassName), new XAttribute("name", c.Name), new XAttribute("time", "0"));
        if (c.Error is not null)
        {
            element.Add(new XElement("error", new XAttribute("message", c.Error), c.Error));
        }

        if (c.Failure is not null)
        {
            element.Add(new XElement("failure", new XAttribute("message", c.Failure), new XAttribute("type", "error"), c.FailureDetail ?? c.Failure));
        }

        if (c.Skipped is not null)
        {
            element.Add(new XElement("skipped", new XAttribute("message", c.Skipped)));
        }

        if (c.Output is not null)
        {
            element.Add(new XElement("system-out", c.Output));
        }

        return element;
    }
}
