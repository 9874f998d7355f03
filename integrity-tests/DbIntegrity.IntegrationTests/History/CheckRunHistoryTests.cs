using System.Globalization;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.History;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Wording;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Tests.Shared;
using Spectre.Console;

namespace DbIntegrity.IntegrationTests.History;

/// <summary>
/// dbintegrity_check_runs at issue 13's scale: a row keeps the summary exact and an excerpt of the findings that says
/// how many it left out, for serve's scans and the gate's runs alike (one writer), presented as the host presents text.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class CheckRunHistoryTests
{
    private const int Findings = 3_000;
    private const string Secret = "hist0ry-Secret";
    private const string Rule = "plugin-package-missing";

    [Test]
    public async Task A_serve_scan_and_a_gate_run_store_the_exact_counts_and_a_bounded_excerpt_with_placeholders_filled()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        var context = new CliContext(Null(), Null(), new SettingsSource(new Dictionary<string, string>()));
        context.Redactor.Add(Secret);
        var (table, reason) = await CheckRunTable.OpenAsync(database.DataSource, CancellationToken.None);
        Assert.That(table, Is.Not.Null, reason);

        await table!.RecordAsync(Report(), context.Present, CancellationToken.None);
        var (id, note) = await CheckRunRecorder.RecordAsync(database.DataSource, Gate(Report()), context.Present, CancellationToken.None);
        Assert.That(id, Is.Not.Null, note);

        var serve = await RowAsync(database, "serve", "report");
        var gate = await RowAsync(database, "gate", "report->'check'");
        var history = await table.ReadAsync(10, CancellationToken.None);
        var stored = await database.ScalarAsync<string>("SELECT string_agg(report::text, ' ') FROM dbintegrity_check_runs");
        Assert.Multiple(() =>
        {
            foreach (var (row, name) in new[] { (serve, "serve"), (gate, "gate") })
            {
                Assert.That(row.Errors, Is.EqualTo(Findings), name);
                Assert.That(row.Listed, Is.EqualTo(CheckRunTable.StoredFindings), name);
                Assert.That(row.LeftOut, Is.EqualTo(Findings - CheckRunTable.StoredFindings), name);
                Assert.That(row.ByRule, Is.EqualTo(Findings), name + ": the summary counts every finding");
                Assert.That(row.Reason, Does.Contain("--format json").And.Not.Contain("{option:"), name);
            }

            Assert.That(history.Select(p => (p.Status, p.Errors)), Is.EqualTo(new[] { (ScanStatus.Inconsistent, (int?)Findings) }), "the chart reads serve's rows as before");
            Assert.That(stored, Does.Contain("dbintegrity repair plan").And.Not.Contain("{next:").And.Not.Contain(Secret));
        });
    }

    private static async Task<(int Errors, int Listed, int LeftOut, int ByRule, string Reason)> RowAsync(TestDatabase database, string command, string scan)
    {
        await using var query = database.DataSource.CreateCommand(
            $"""
            SELECT error_findings, jsonb_array_length({scan}->'findings'), ({scan}->'findingsLeftOut'->>'count')::int,
                   ({scan}->'summary'->'byRule'->>'{Rule}')::int, {scan}->'findingsLeftOut'->>'reason'
            FROM dbintegrity_check_runs WHERE command = $1
            """);
        query.Parameters.Add(new Npgsql.NpgsqlParameter { Value = command });
        await using var reader = await query.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, $"no {command} row");
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4));
    }

    private static IAnsiConsole Null() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });

    private static ScanReport Report()
    {
        var findings = Enumerable.Range(0, Findings).Select(i => new Finding
        {
            Rule = Rule,
            Severity = Severity.Error,
            Message = $"plugin_packages/a/p{i.ToString(CultureInfo.InvariantCulture)} does not exist; `{HostWords.Of(NextStep.MakeRepairPlan)}` proposes a fix ({Secret}).",
            Table = "plugins",
            RowId = i.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        return SyntheticReports.Inconsistent(findings, Rule, DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    private static GateReport Gate(ScanReport check) => SyntheticReports.BlockedGate(check, GateService.GateRun, Rule);
}
