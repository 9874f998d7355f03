using System.Text;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Tests.Scanning;

public sealed class CandidateSpillTests
{
    [Test]
    public async Task Lines_come_back_as_written_across_buffer_boundaries_however_long()
    {
        // A first line whose newline is the last byte of the first 64 KiB read, empty lines, multi-byte characters, a
        // line four times the read buffer, and a last line without its newline.
        string[] lines = [new string('y', (1 << 16) - 1), "", "a", new string('x', 1 << 18) + "é", "\U0001F600 ü", "", "last"];
        using var file = ScratchFile.Create("dbintegrity-test-lines");
        await using (var stream = file.OpenWrite())
        {
            stream.Write(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        }

        var read = new List<string>();
        await foreach (var line in CandidateSpill.ReadLinesAsync(file, CancellationToken.None))
        {
            read.Add(Encoding.UTF8.GetString(line.Span));
        }

        Assert.That(read, Is.EqualTo(lines));
    }

    [Test]
    public async Task Spilled_candidates_come_back_with_their_findings_serialized_as_SpilledFindings_would()
    {
        using var spill = new CandidateSpill(bufferSize: 3);
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
            Assert.That(spill.SpillFiles, Is.EqualTo(3));
            Assert.That(serialized.Select(p => p.Finding.Message), Is.EqualTo(added.Select(a => a.Finding.Message)));
            // Spilled ones carry their sort key and exactly SpilledFindings.Serialize's text; the nine spilled, not the one held.
            Assert.That(serialized.Take(9).Select(p => Encoding.UTF8.GetString(p.Spilled!.Utf8Value)), Is.EqualTo(added.Take(9).Select(a => SpilledFindings.Serialize(a.Finding))));
            Assert.That(serialized.Take(9).Select(p => p.Spilled!.Utf8Key), Is.EqualTo(added.Take(9).Select(a => SpilledFindings.SortKey(a.Finding))));
            Assert.That(serialized[9].Spilled, Is.Null);
            Assert.That(rechecksRead.Select(r => ((Recheck.ObjectMissing)r[0]).Key), Is.EqualTo(added.Select(a => a.Finding.ObjectKey)));
            Assert.That(rechecksRead.Select(r => ((Recheck.Query)r[1]).Parameters.Single()), Is.EqualTo(added.Select((_, i) => $"v{i}")));
            // A query recheck comes back with its SQL text.
            Assert.That(rechecksRead.Select(r => ((Recheck.Query)r[1]).Sql), Is.All.EqualTo("SELECT $1::text"));
        });
    }
}
