using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Tests.Scanning;

public sealed class CandidateSpillTests
{
    [Test]
    public async Task Spilled_candidates_come_back_with_their_findings_written_as_SpilledFindings_would()
    {
        // Three held; the other seven written out in chunks of about 300 bytes, the last chunk still in memory.
        using var spill = new CandidateSpill(bufferSize: 3, chunkBytes: 300);
        var added = Enumerable.Range(0, 10).Select(i => (
            Finding: new Finding
            {
                Rule = "plugin-package-missing",
                Severity = Severity.Error,
                Message = $"Package {i} \"quoted\"\n\u00e9 is gone",
                Identifier = $"langgenius/p{i}:0.0.1@{new string('a', 64)}",
                ObjectKey = $"plugin_packages/p{i}",
            },
            Rechecks: new Recheck[] { new Recheck.ObjectMissing($"plugin_packages/p{i}"), new Recheck.Query("SELECT $1::text", [$"v{i}"]) })).ToList();
        foreach (var (finding, rechecks) in added)
        {
            spill.Add(finding, rechecks);
        }

        var serialized = new List<CandidateFinding>();
        await foreach (var candidate in spill.ReadSerializedFindingsAsync(CancellationToken.None))
        {
            serialized.Add(candidate);
        }

        var rechecksRead = new List<Recheck[]>();
        await foreach (var rechecks in spill.ReadRechecksAsync(CancellationToken.None))
        {
            rechecksRead.Add(rechecks);
        }

        Assert.Multiple(() =>
        {
            Assert.That(spill.HasFiles && spill.Spilled == 7, "seven written out, some to the files");
            Assert.That(spill.InFiles, Is.InRange(1, 6), "and some still in memory");
            Assert.That(serialized.Select(p => p.Finding.Message), Is.EqualTo(added.Select(a => a.Finding.Message)));
            // Spilled ones carry their sort key and exactly SpilledFindings.Rest's bytes; the seven spilled, not the three held.
            Assert.That(serialized.Skip(3).Select(p => p.Spilled!.Utf8Value), Is.EqualTo(added.Skip(3).Select(a => SpilledFindings.Rest(a.Finding))));
            Assert.That(serialized.Skip(3).Select(p => p.Spilled!.Utf8Key), Is.EqualTo(added.Skip(3).Select(a => SpilledFindings.SortKey(a.Finding))));
            Assert.That(serialized.Take(3).Select(p => p.Spilled), Is.All.Null);
            Assert.That(rechecksRead.Select(r => ((Recheck.ObjectMissing)r[0]).Key), Is.EqualTo(added.Select(a => a.Finding.ObjectKey)));
            Assert.That(rechecksRead.Select(r => ((Recheck.Query)r[1]).Parameters.Single()), Is.EqualTo(added.Select((_, i) => $"v{i}")));
            // A query recheck comes back with its SQL text.
            Assert.That(rechecksRead.Select(r => ((Recheck.Query)r[1]).Sql), Is.All.EqualTo("SELECT $1::text"));
        });
    }

    [Test]
    public async Task A_spill_disposed_takes_no_more_candidates_and_cannot_be_read()
    {
        // A scan abandoned at its deadline may still report after its collector is gone: nothing is written then.
        var spill = new CandidateSpill(bufferSize: 1, chunkBytes: 1);
        var finding = new Finding { Rule = "r", Severity = Severity.Error, Message = "m" };
        spill.Add(finding, [new Recheck.ObjectMissing("k")]);
        spill.Add(finding, [new Recheck.ObjectMissing("k")]);
        Assert.That(spill.HasFiles, Is.True);

        spill.Dispose();
        spill.Add(finding, [new Recheck.ObjectMissing("k")]);

        Assert.Multiple(() =>
        {
            Assert.That(spill.HasFiles, Is.False, "no files made again");
            Assert.That(async () => await spill.OpenFindingsAsync(), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(async () => await spill.ReadRechecksAsync(CancellationToken.None).CountAsync(), Throws.InstanceOf<ObjectDisposedException>());
        });
    }

    [Test]
    public async Task Every_kind_of_recheck_comes_back_from_a_spill_file_as_it_was_added()
    {
        // Both object kinds, queries with text and NULL parameters and none, no rechecks at all, several SQL texts,
        // characters beyond ASCII and above U+FFFF, and strings longer than the reader's first buffer.
        var long_ = new string('k', 5000) + "\u00e9";
        Recheck[][] added =
        [
            [new Recheck.ObjectMissing("plugin_packages/a\U0001F600"), new Recheck.Query("SELECT $1::text IS NULL", DBNull.Value)],
            [],
            [new Recheck.ObjectPresent(long_), new Recheck.Query("SELECT $1 = $2", "x", DBNull.Value), new Recheck.Query("SELECT true")],
            [new Recheck.Query("SELECT $1 = $2", "ü", long_)],
            [new Recheck.Query("SELECT " + long_ + " = $1", "")],
            [new Recheck.ObjectMissing("")],
        ];
        // One held (not these), then the rest: the first five written to the files in three chunks (a chunk goes when it
        // passes 4,000 bytes: each of the three with a long string ends one), the last read from memory.
        using var spill = new CandidateSpill(bufferSize: 1, chunkBytes: 4000);
        spill.Add(new Finding { Rule = "r", Severity = Severity.Error, Message = "held" }, [new Recheck.Query("SELECT 1")]);
        foreach (var (rechecks, i) in added.Select((r, i) => (r, i)))
        {
            spill.Add(new Finding { Rule = "r", Severity = Severity.Error, Message = $"m{i}" }, rechecks);
            Assert.That(spill.HasFiles, Is.EqualTo(i >= 2), $"after {i + 1}");
        }

        var read = new List<Recheck[]>();
        await foreach (var rechecks in spill.ReadRechecksAsync(CancellationToken.None).Skip(1))
        {
            read.Add(rechecks);
        }

        static string Describe(Recheck recheck) => recheck switch
        {
            Recheck.ObjectMissing m => $"missing {m.Key}",
            Recheck.ObjectPresent p => $"present {p.Key}",
            Recheck.Query q => $"query {q.Sql} [{string.Join(", ", q.Parameters.Select(v => v is DBNull ? "DBNull" : $"'{v}'"))}]",
            _ => throw new InvalidOperationException(),
        };

        Assert.Multiple(() =>
        {
            Assert.That(spill.Spilled, Is.EqualTo(6));
            Assert.That(read.Select(r => r.Select(Describe)), Is.EqualTo(added.Select(r => r.Select(Describe))));
            Assert.That(read.SelectMany(r => r).OfType<Recheck.Query>().SelectMany(q => q.Parameters).Count(p => p is DBNull), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task The_recheck_cursor_gives_each_recheck_with_its_candidate_and_an_object_key_as_its_utf8_bytes()
    {
        // Two held, then the rest written out in chunks of about 4,000 bytes, the last one read from memory; candidates
        // with no rechecks keep their place in the count; keys beyond ASCII, above U+FFFF, and longer than the cursor's
        // first buffer.
        var long_ = new string('k', 5000) + "\u00e9";
        Recheck[][] added =
        [
            [new Recheck.ObjectMissing("plugin_packages/h\u00e9ld" + long_), new Recheck.Query("SELECT $1::text", "held")],
            [],
            [new Recheck.ObjectPresent("plugin/a\U0001F600")],
            [],
            [new Recheck.ObjectMissing(long_), new Recheck.Query("SELECT $1 = $2", "x", DBNull.Value), new Recheck.ObjectPresent("")],
            [new Recheck.Query("SELECT true")],
            [new Recheck.ObjectMissing("plugin_packages/last")],
            [],
        ];
        using var spill = new CandidateSpill(bufferSize: 2, chunkBytes: 4000);
        foreach (var (rechecks, i) in added.Select((r, i) => (r, i)))
        {
            spill.Add(new Finding { Rule = "r", Severity = Severity.Error, Message = $"m{i}" }, rechecks);
        }

        var read = await ReadWithCursorAsync(spill);
        Assert.Multiple(() =>
        {
            Assert.That(spill.HasFiles && spill.Spilled == 6 && spill.InFiles is > 0 and < 6, "some held, some in the files, some in memory");
            Assert.That(read, Is.EqualTo(Describe(added)));
        });

        // And with nothing spilled: the held ones alone.
        using var held = new CandidateSpill(bufferSize: 10);
        foreach (var rechecks in added.Take(3))
        {
            held.Add(new Finding { Rule = "r", Severity = Severity.Error, Message = "m" }, rechecks);
        }

        Assert.That(await ReadWithCursorAsync(held), Is.EqualTo(Describe(added.Take(3))));
    }

    // Each recheck the cursor gives, with its candidate's index; an object's key decoded from its bytes.
    private static async Task<List<string>> ReadWithCursorAsync(CandidateSpill spill)
    {
        var read = new List<string>();
        using var cursor = await spill.OpenRechecksAsync();
        while (cursor.MoveNext())
        {
            read.Add(cursor.Kind switch
            {
                CandidateSpill.RecheckKind.Query => $"{cursor.Candidate} query {cursor.Query!.Sql} [{string.Join(", ", cursor.Query.Parameters.Select(v => v is DBNull ? "DBNull" : $"'{v}'"))}] {cursor.Key.Length}",
                var kind => $"{cursor.Candidate} {kind} {System.Text.Encoding.UTF8.GetString(cursor.Key)}",
            });
        }

        return read;
    }

    // The same, from the rechecks as added.
    private static IEnumerable<string> Describe(IEnumerable<Recheck[]> added) => added.SelectMany((rechecks, i) => rechecks.Select(recheck => recheck switch
    {
        Recheck.ObjectMissing m => $"{i} ObjectMissing {m.Key}",
        Recheck.ObjectPresent p => $"{i} ObjectPresent {p.Key}",
        Recheck.Query q => $"{i} query {q.Sql} [{string.Join(", ", q.Parameters.Select(v => v is DBNull ? "DBNull" : $"'{v}'"))}] 0",
        _ => throw new InvalidOperationException(),
    }));
}
