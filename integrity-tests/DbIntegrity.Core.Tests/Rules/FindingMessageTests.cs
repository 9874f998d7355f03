using System.Globalization;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Tests.Rules;

/// <summary>
/// A message a rule writes as <c>$"…"</c> goes to the collector as characters (<see cref="FindingMessage"/>): a held
/// candidate or an accepted finding gets it as a string, a spilled candidate is written straight from the characters.
/// Either way the report must read what the same interpolation into a string reads.
/// </summary>
public sealed class FindingMessageTests
{
    private static readonly DatabaseSchema Schema = new("public", new Dictionary<string, TableInfo>(), []);

    private sealed class Rule : IIntegrityRule
    {
        public RuleDescriptor Descriptor { get; } = new() { Id = "message-test", Severity = Severity.Warning, Summary = "Reports what the test asks." };
    }

    // Longer than the handler's first rented buffer, with non-ASCII text, a number and a date formatted by the culture.
    private static string Expected(int i, string name) =>
        $"Row {i} of {name} ({i * 1.5:0.0}, {new DateTime(2026, 12, 5, 1, 2, 3, DateTimeKind.Utc):d}) is gone: "
        + $"{new string('x', 300 + i)} \u00e9\u4e2d\U0001F600 and {{braces}} stay as written.";

    private static void ReportAll(RuleContext context, int count, Func<int, Recheck[]> rechecks, DateTimeOffset? evidence = null)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"plugin-{i}";
            context.Report(
                $"Row {i} of {name} ({i * 1.5:0.0}, {new DateTime(2026, 12, 5, 1, 2, 3, DateTimeKind.Utc):d}) is gone: "
                + $"{new string('x', 300 + i)} \u00e9\u4e2d\U0001F600 and {{braces}} stay as written.",
                new FindingLocation { Table = "plugins", RowId = $"row-{i}", Identifier = name, Details = new Dictionary<string, string> { ["n"] = $"{i}" } },
                evidence,
                rechecks(i));
        }
    }

    [Test]
    public async Task A_message_written_as_characters_reads_as_the_string_whether_the_candidate_was_held_or_spilled()
    {
        var previous = CultureInfo.CurrentCulture;
        // A culture whose decimal separator and date order differ from the invariant one (the tools run in invariant
        // globalization mode, so it is made by hand): the message is formatted as a string would be.
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.DateTimeFormat.ShortDatePattern = "dd.MM.yyyy";
        CultureInfo.CurrentCulture = culture;
        try
        {
            using var collector = new ScanCollector(maxInfoPerRule: 1000, candidateBuffer: 2, candidateChunkBytes: 2_000);
            var context = new RuleContext(new Rule(), Schema, StorageLayout.Default, TimeSpan.Zero, DateTimeOffset.UtcNow, collector);
            ReportAll(context, 12, i => [new Recheck.ObjectMissing($"plugin_packages/plugin-{i}")]);

            var candidates = new List<CandidateFinding>();
            await foreach (var candidate in collector.Candidates.ReadSerializedFindingsAsync(CancellationToken.None))
            {
                candidates.Add(candidate);
            }

            var expected = Enumerable.Range(0, 12).Select(i => new Finding
            {
                Rule = "message-test",
                Severity = Severity.Warning,
                Message = Expected(i, $"plugin-{i}"),
                Table = "plugins",
                RowId = $"row-{i}",
                Identifier = $"plugin-{i}",
                Details = new Dictionary<string, string> { ["n"] = $"{i}" },
            }).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(expected[3].Message, Does.Contain("4,5").And.Contain("05.12.2026"), "the culture formats the numbers");
                Assert.That(collector.Candidates.HasFiles, Is.True, "some candidates reached the files");
                Assert.That(candidates.Take(2).Select(c => c.Spilled), Is.All.Null, "the first two held");
                Assert.That(candidates.Select(c => c.Finding), Is.EqualTo(expected).Using<Finding>(Same));
                // Spilled ones are the bytes a finding with the string message makes, exactly.
                Assert.That(candidates.Skip(2).Select(c => c.Spilled!.Utf8Key), Is.EqualTo(expected.Skip(2).Select(SpilledFindings.SortKey)));
                Assert.That(candidates.Skip(2).Select(c => c.Spilled!.Utf8Value), Is.EqualTo(expected.Skip(2).Select(SpilledFindings.Rest)));
            });
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public void A_message_without_rechecks_is_accepted_as_its_string_and_one_in_flight_is_only_counted()
    {
        using var collector = new ScanCollector(maxInfoPerRule: 1000);
        var context = new RuleContext(new Rule(), Schema, StorageLayout.Default, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow, collector);
        ReportAll(context, 3, _ => []);
        ReportAll(context, 2, _ => [new Recheck.ObjectMissing("k")], evidence: DateTimeOffset.UtcNow);

        Assert.Multiple(() =>
        {
            Assert.That(collector.Findings().Select(f => f.Message), Is.EqualTo(Enumerable.Range(0, 3).Select(i => Expected(i, $"plugin-{i}"))));
            Assert.That(collector.InFlight, Is.EqualTo(2));
            Assert.That(collector.Candidates.Count, Is.Zero);
        });
    }

    private static bool Same(Finding a, Finding b) =>
        a with { Details = null } == b with { Details = null } && (a.Details ?? new Dictionary<string, string>()).OrderBy(d => d.Key).SequenceEqual((b.Details ?? new Dictionary<string, string>()).OrderBy(d => d.Key));
}
