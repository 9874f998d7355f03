using System.Globalization;
using System.Text;
using DbIntegrity.Core.Reporting;
using static DbIntegrity.Core.Reporting.JunitReportWriter;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// The gate as JUnit XML, so CI shows what blocked: every rule of the check, every precondition of the chain and every
/// validation of the applied migrations is a test case (a blocking one fails; one that does not apply is skipped; one
/// that could not run is an error). <c>migrate up --gate</c> adds the run and the check after it.
/// </summary>
public static class GateJunitWriter
{
    public static string Write(GateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JunitReportWriter.Write($"dbintegrity {report.Command}", report.Duration, CasesFor(report));
    }

    public static IReadOnlyList<TestCase> CasesFor(GateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cases = new List<TestCase>();
        if (report.Check is { } check)
        {
            cases.AddRange(JunitReportWriter.CasesFor(check));
        }
        else
        {
            cases.Add(new TestCase("dbintegrity.check", "integrity check", null, null, report.CheckSkipped ?? "skipped", null));
        }

        cases.AddRange(report.Preconditions.Select(Case));
        cases.AddRange(report.MigrationChecks.Select(c => new TestCase(
            "dbintegrity.migrations",
            c.Name,
            c.Status == MigrationCheckStatus.Failed ? "failed" : null,
            c.Status == MigrationCheckStatus.Failed ? c.Message : null,
            c.Status == MigrationCheckStatus.Skipped ? c.Message : null,
            c.Status == MigrationCheckStatus.Passed ? c.Message : null)));

        if (report.Run is { } run)
        {
            var executed = string.Join(", ", run.Executed.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)));
            cases.Add(new TestCase(
                "dbintegrity.migrate",
                "pending migrations applied in one transaction",
                run.Committed ? null : "rolled back",
                run.Committed ? null : string.Join(Environment.NewLine, report.Blockers.DefaultIfEmpty(report.IncompleteReason ?? "rolled back")),
                null,
                run.Committed ? $"applied and committed: {executed}" : $"ran and rolled back: {executed}"));
            cases.AddRange(run.Preconditions.Where(p => p.Status is PreconditionStatus.Violated or PreconditionStatus.NotEvaluated).Select(p => Case(p) with
            {
                ClassName = "dbintegrity.migrate",
                Name = $"inside the run: {p.Name}",
            }));
            if (run.After is { } after)
            {
                var lines = string.Join(Environment.NewLine, run.NewErrors.Select(f => $"[new] {f.Rule}: {f.Message}"));
                var resolved = run.Difference is { Resolved.Count: > 0 } d ? string.Join(Environment.NewLine, d.Resolved.Select(f => $"[resolved] {f.Rule}: {f.Message}")) : null;
                cases.Add(new TestCase(
                    "dbintegrity.migrate",
                    "no new error finding after migrating",
                    run.NewErrors.Count > 0 ? $"{run.NewErrors.Count} new error finding(s)" : null,
                    run.NewErrors.Count > 0 ? lines : null,
                    null,
                    resolved,
                    after.Status == ScanStatus.Incomplete ? after.IncompleteReason ?? "incomplete" : null));
            }
        }

        return cases;
    }

    private static TestCase Case(PreconditionResult result)
    {
        const string ClassName = "dbintegrity.preconditions";
        return result.Status switch
        {
            PreconditionStatus.Violated => new TestCase(ClassName, result.Name, $"{result.OffendingCount} offending row(s)", Detail(result), null, null),
            PreconditionStatus.NotEvaluated => new TestCase(ClassName, result.Name, null, null, null, null, result.Note ?? "not evaluated"),
            PreconditionStatus.NotApplicable or PreconditionStatus.NotDue => new TestCase(ClassName, result.Name, null, null, result.Note ?? "not applicable", null),
            _ => new TestCase(ClassName, result.Name, null, null, null, result.Precondition.Description),
        };
    }

    private static string Detail(PreconditionResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(result.Precondition.Description);
        for (var i = 0; i < result.Rows.Count; i++)
        {
            text.Append("  ").AppendLine(result.DescribeRow(i));
        }

        if (result.OffendingCount > result.Rows.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"  … and {result.OffendingCount - result.Rows.Count} more").AppendLine();
        }

        text.AppendLine(result.Precondition.Remedy);
        if (result.Precondition.RepairSql is { } sql)
        {
            text.AppendLine(sql);
        }

        return text.ToString();
    }
}
