using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Tests.Scanning;

public sealed class SpilledFindingsTests
{
    [Test]
    public async Task Findings_beyond_the_buffer_come_back_complete_and_in_the_order_of_held_ones()
    {
        var findings = Generate(500);
        using var held = new ScanCollector(maxInfoPerRule: 10_000, candidateBuffer: 10_000);
        using var spilled = new ScanCollector(maxInfoPerRule: 10_000, candidateBuffer: 7);
        foreach (var finding in findings)
        {
            held.Accept(finding);
            spilled.Accept(finding);
        }

        var expected = await held.FindingsAsync(CancellationToken.None);
        var actual = await spilled.FindingsAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.InstanceOf<SpilledFindings>(), "beyond the buffer the list is read from disk");
            Assert.That(expected, Is.Not.InstanceOf<SpilledFindings>());
            Assert.That(actual, Has.Count.EqualTo(500));
            Assert.That(actual.Select(Describe), Is.EqualTo(expected.Select(Describe)));
            Assert.That(Describe(actual[123]), Is.EqualTo(Describe(expected[123])));
            Assert.That(() => actual[500], Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public async Task A_spilled_list_outlives_its_collector_and_can_be_read_twice()
    {
        IReadOnlyList<Finding> list;
        using (var collector = new ScanCollector(maxInfoPerRule: 10_000, candidateBuffer: 2))
        {
            foreach (var finding in Generate(20))
            {
                collector.Accept(finding);
            }

            list = await collector.FindingsAsync(CancellationToken.None);
            Assert.That(await collector.FindingsAsync(CancellationToken.None), Is.SameAs(list), "asked again, the same list: the sort's runs are taken once");
            Assert.That(collector.Findings, Throws.InvalidOperationException);
        }

        var first = list.Select(Describe).ToList();
        var second = list.Select(Describe).ToList();
        Assert.That(second, Is.EqualTo(first).And.Count.EqualTo(20));
    }

    [Test]
    public async Task Candidate_spill_files_have_no_name_while_in_use_and_close_on_dispose()
    {
        Assume.That(OperatingSystem.IsLinux(), "open handles are counted through /proc/self/fd");
        var open = Sorting.ExternalSorterTests.OpenScratchFiles("dbintegrity-candidates-") + Sorting.ExternalSorterTests.OpenScratchFiles("dbintegrity-rechecks-");
        // Chunks of a byte: every candidate beyond the buffer is written out as it is added.
        var candidates = new CandidateSpill(bufferSize: 3, chunkBytes: 1);
        foreach (var finding in Generate(10))
        {
            candidates.Add(finding, [new Recheck.ObjectMissing($"plugin_packages/{finding.Identifier}")]);
        }

        Assert.That(candidates.HasFiles && candidates.Spilled == 7, "seven written out");
        Assert.That(Sorting.ExternalSorterTests.OpenScratchFiles("dbintegrity-candidates-") + Sorting.ExternalSorterTests.OpenScratchFiles("dbintegrity-rechecks-"), Is.EqualTo(open + 2), "one pair of files however many chunks");
        Assert.That(Directory.GetFiles(Path.GetTempPath(), "dbintegrity-candidates-*").Concat(Directory.GetFiles(Path.GetTempPath(), "dbintegrity-rechecks-*")), Is.Empty);
        Assert.That(await candidates.ReadAsync(CancellationToken.None).CountAsync(), Is.EqualTo(10), "read back from the unnamed files");

        candidates.Dispose();

        Assert.That(Sorting.ExternalSorterTests.OpenScratchFiles("dbintegrity-candidates-") + Sorting.ExternalSorterTests.OpenScratchFiles("dbintegrity-rechecks-"), Is.EqualTo(open));
    }

    [Test]
    public async Task Candidates_read_back_from_a_spill_file_are_accepted_as_written_and_come_back_whole()
    {
        var findings = Generate(300);
        using var candidates = Spill(findings, bufferSize: 11);
        using var held = new ScanCollector(maxInfoPerRule: 10_000, candidateBuffer: 10_000);
        using var spilled = new ScanCollector(maxInfoPerRule: 10_000, candidateBuffer: 5);
        var reused = await AcceptBothWaysAsync(candidates, held, spilled);

        var expected = await held.FindingsAsync(CancellationToken.None);
        var actual = await spilled.FindingsAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(reused, Is.EqualTo(289), "every spilled candidate's sort record is handed on (all but the 11 held)");
            Assert.That(actual.Select(Describe), Is.EqualTo(expected.Select(Describe)));
            Assert.That(expected.Select(Describe), Is.EquivalentTo(findings.Select(Describe)));
        });
    }

    [Test]
    public void A_finding_comes_back_whole_from_its_sort_key_and_rest()
    {
        // A property added to Finding must be carried by WriteRest and Deserialize too; this list fails until it is.
        Assert.That(
            typeof(Finding).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "Details", "Identifier", "Message", "ObjectKey", "PluginId", "RowId", "Rule", "Severity", "Table", "TenantId" }));
        Finding[] findings =
        [
            new()
            {
                Rule = "plugin-package-missing",
                Severity = Severity.Error,
                // Long enough for a two-byte count; a zero byte inside a field (the key's separator) is sliced by count.
                Message = string.Concat(Enumerable.Repeat("gone \u00e9 😀 ", 20)) + "a\0b\0c",
                Identifier = "author/name:1.0.0@" + new string('a', 64) + "\0",
                ObjectKey = "plugin_packages/é",
                Table = "plugins",
                TenantId = "t",
                RowId = "r",
                PluginId = "author/name",
                Details = new Dictionary<string, string> { ["expectedTable"] = "tool_installations", ["é"] = new string('x', 300) },
            },
            new() { Rule = "r", Severity = Severity.Info, Message = "m" },
            new() { Rule = "r", Severity = Severity.Warning, Message = string.Empty, Identifier = string.Empty, ObjectKey = string.Empty, Table = string.Empty, TenantId = string.Empty, RowId = string.Empty, PluginId = string.Empty, Details = new Dictionary<string, string>() },
        ];

        Assert.Multiple(() =>
        {
            foreach (var finding in findings)
            {
                var back = SpilledFindings.Deserialize(SpilledFindings.SortKey(finding), SpilledFindings.Rest(finding));
                Assert.That(back with { Details = finding.Details }, Is.EqualTo(finding), "null and empty locators stay apart");
                Assert.That(back.Details, finding.Details is null ? Is.Null : Is.EqualTo(finding.Details));
                Assert.That(() => SpilledFindings.Deserialize(SpilledFindings.SortKey(finding), SpilledFindings.Rest(finding)[..^1]), Throws.InstanceOf<InvalidDataException>());
                Assert.That(() => SpilledFindings.Deserialize(SpilledFindings.SortKey(finding)[..^1], SpilledFindings.Rest(finding)), Throws.InstanceOf<InvalidDataException>());
                Assert.That(() => SpilledFindings.Deserialize([.. SpilledFindings.SortKey(finding), 0], SpilledFindings.Rest(finding)), Throws.InstanceOf<InvalidDataException>());
            }
        });
    }

    [Test]
    public void A_malformed_spilled_finding_is_invalid_data_never_a_wrong_finding()
    {
        var minimal = new Finding { Rule = "r", Severity = Severity.Info, Message = "m" };
        byte[] key = SpilledFindings.SortKey(minimal);
        byte[] rest = SpilledFindings.Rest(minimal);
        // The minimal finding's rest: every locator null, the key fields' byte counts, no plugin id, no details.
        Assert.That(rest, Is.EqualTo(new byte[] { 0x1F, 1, 0, 0, 0, 0, 0, 1, 0, 0 }));
        byte[] maxCount = [0xFF, 0xFF, 0xFF, 0xFF, 0x07];
        // Five bytes whose fifth has bits beyond 32: without the check they would wrap to a count of 1.
        byte[] beyond32Bits = [0x81, 0x80, 0x80, 0x80, 0x10];
        var full = new Finding { Rule = "r", Severity = Severity.Error, Message = "m", Identifier = "i", ObjectKey = "o", Table = "t", TenantId = "n", RowId = "w" };
        (string Case, byte[] Key, byte[] Tail)[] malformed =
        [
            ("a severity byte no severity has", [(byte)'a', .. key[1..]], rest),
            ("a null mask beyond the five locators", key, [0x20, .. rest[1..]]),
            ("a null locator with text in the key", SpilledFindings.SortKey(full), [0x01, .. SpilledFindings.Rest(full)[1..]]),
            ("a field count near int.MaxValue", key, [0x1F, .. maxCount, 0, 0, 0, 0, 0, 1, 0, 0]),
            ("a count beyond 32 bits", key, [0x1F, .. beyond32Bits, 0, 0, 0, 0, 0, 1, 0, 0]),
            ("a detail count near int.MaxValue", key, [.. rest[..^1], .. maxCount]),
            ("a detail named twice", key, [.. rest[..^1], 3, 2, (byte)'a', 1, 2, (byte)'a', 1]),
            ("an empty key", [], rest),
        ];

        Assert.Multiple(() =>
        {
            Assert.That(SpilledFindings.Deserialize(key, [.. rest[..^1], 2, 2, (byte)'a', 1]).Details, Is.EqualTo(new Dictionary<string, string> { ["a"] = string.Empty }), "the well-formed neighbour of the last cases");
            foreach (var (name, badKey, badRest) in malformed)
            {
                Assert.That(() => SpilledFindings.Deserialize(badKey, badRest), Throws.InstanceOf<InvalidDataException>(), name);
            }
        });
    }

    private static string Describe(Finding f) =>
        $"{f.Severity}|{f.Rule}|{f.Message}|{f.Table}|{f.RowId}|{f.Identifier}|{f.ObjectKey}|{f.TenantId}|{f.PluginId}|"
        + string.Join(",", (f.Details ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key}={kv.Value}"));

    [Test]
    public async Task Spilled_candidates_are_counted_by_the_rule_and_severity_in_their_sort_key()
    {
        var findings = Generate(300);
        using var candidates = Spill(findings, bufferSize: 7);
        // Two info findings listed per rule: the rest only counted, the same whichever way a candidate comes.
        using var held = new ScanCollector(maxInfoPerRule: 2, candidateBuffer: 5);
        using var spilled = new ScanCollector(maxInfoPerRule: 2, candidateBuffer: 5);
        await AcceptBothWaysAsync(candidates, held, spilled);

        var expected = await held.FindingsAsync(CancellationToken.None);
        var actual = await spilled.FindingsAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(spilled.CountsByRule, Is.EquivalentTo(findings.CountBy(f => f.Rule)));
            Assert.That(spilled.NotListed, Is.EqualTo(held.NotListed).And.GreaterThan(0));
            Assert.That(actual.Select(Describe), Is.EqualTo(expected.Select(Describe)));
            Assert.That(findings.Select(f => SpilledFindings.RuleAndSeverity(SpilledFindings.SortKey(f))), Is.EqualTo(findings.Select(f => (f.Rule, f.Severity))));
            Assert.That(() => SpilledFindings.RuleAndSeverity("x"u8), Throws.InstanceOf<InvalidDataException>());
        });
    }

    // Chunks of about 2 KB: most of the spilled candidates are read back from the files, the last few from memory.
    private static CandidateSpill Spill(List<Finding> findings, int bufferSize)
    {
        var candidates = new CandidateSpill(bufferSize, chunkBytes: 2048);
        foreach (var finding in findings)
        {
            candidates.Add(finding, [new Recheck.ObjectMissing($"plugin_packages/{finding.Identifier}")]);
        }

        return candidates;
    }

    // Each candidate to held as a finding and to spilled as it was read back; how many came from a spill file.
    private static async Task<int> AcceptBothWaysAsync(CandidateSpill candidates, ScanCollector held, ScanCollector spilled)
    {
        var fromFile = 0;
        await foreach (var candidate in candidates.ReadSerializedFindingsAsync(CancellationToken.None))
        {
            fromFile += candidate.Spilled is null ? 0 : 1;
            held.Accept(candidate.Finding);
            spilled.Accept(candidate);
        }

        return fromFile;
    }

    [Test]
    public async Task A_sort_key_is_its_fields_joined_by_zero_bytes_as_UTF8_and_sorts_as_the_report_does()
    {
        var findings = Generate(200);
        findings.Add(new Finding { Rule = "r\u00e8gle-\u00fc", Severity = Severity.Warning, Message = "a rule beyond ASCII" });
        findings.Add(new Finding { Rule = "rule-0", Severity = Severity.Error, Message = "emoji \U0001F600 after", Identifier = "a/b:1@\uFFFF" });
        findings.Add(new Finding { Rule = "rule-0", Severity = Severity.Error, Message = "emoji \uFFFD after", Identifier = "a/b:1@\U0001F600" });
        static string Joined(Finding f) => string.Join(
            '\0', (char)('z' - (int)f.Severity), f.Rule, f.Identifier ?? "", f.ObjectKey ?? "", f.Table ?? "", f.TenantId ?? "", f.RowId ?? "", f.Message);

        var byKey = findings.OrderBy(f => SpilledFindings.SortKey(f), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).Select(Describe);
        var byText = findings.OrderBy(Joined, Core.Plugins.Utf8Ordinal.Instance).Select(Describe);

        // The report's order is the same below the buffer (held) as beyond it (spilled and sorted by key).
        using var held = new ScanCollector(maxInfoPerRule: 10_000, candidateBuffer: 10_000);
        using var spilled = new ScanCollector(maxInfoPerRule: 10_000, candidateBuffer: 7);
        foreach (var finding in findings)
        {
            held.Accept(finding);
            spilled.Accept(finding);
        }

        var heldOrder = (await held.FindingsAsync(CancellationToken.None)).Select(Describe).ToList();
        var spilledOrder = (await spilled.FindingsAsync(CancellationToken.None)).Select(Describe).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(SpilledFindings.SortKey), Is.EqualTo(findings.Select(f => System.Text.Encoding.UTF8.GetBytes(Joined(f)))));
            // Above U+FFFF UTF-8 order is code point order, not UTF-16's: the emoji identifier sorts after U+FFFF.
            Assert.That(byKey, Is.EqualTo(byText));
            Assert.That(heldOrder, Is.EqualTo(byKey));
            Assert.That(spilledOrder, Is.EqualTo(byKey));
            Assert.That(findings.Select(f => SpilledFindings.RuleAndSeverity(SpilledFindings.SortKey(f))), Is.EqualTo(findings.Select(f => (f.Rule, f.Severity))));
            Assert.That(() => SpilledFindings.RuleAndSeverity([0xC3, 0, (byte)'r', 0]), Throws.InstanceOf<InvalidDataException>(), "a severity byte beyond ASCII");
        });
    }

    private static List<Finding> Generate(int count)
    {
        var random = new Random(13);
        string? Maybe(string value) => random.Next(4) == 0 ? null : value;
        return [.. Enumerable.Range(0, count).Select(i => new Finding
        {
            Rule = $"rule-{random.Next(5)}",
            Severity = (Severity)random.Next(3),
            Message = $"finding {i}: \"quoted\", ünïcode, a\nnewline",
            Table = Maybe($"table{random.Next(3)}"),
            RowId = Maybe($"row-{i}"),
            Identifier = Maybe($"author/name:1.0.{random.Next(100)}@{new string('a', 32)}"),
            ObjectKey = Maybe($"plugin_packages/x{random.Next(50)}"),
            TenantId = Maybe($"tenant-{random.Next(3)}"),
            PluginId = Maybe("author/name"),
            Details = random.Next(2) == 0 ? null : new Dictionary<string, string> { ["expectedTable"] = "tool_installations", ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        })];
    }
}
