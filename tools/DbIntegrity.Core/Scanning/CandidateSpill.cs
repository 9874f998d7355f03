using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Candidate findings waiting for confirmation, in arrival order, in bounded memory: up to <c>bufferSize</c> are held,
/// the rest go to temp files (unnamed from the start, <see cref="ScratchFile"/>) that are read back in order. A lost prefix makes one candidate per row, so
/// holding them all would make memory grow with the damage (issue 13). Each spill writes two files, in step: the
/// rechecks (JSON lines) and the findings (sort records: the report's sort key and the finding's text), because confirmation reads the rechecks alone first and the findings alone after, and
/// deserializing what a pass does not use was most of a wiped scan's confirmation time. Not thread-safe: the
/// collector locks.
/// </summary>
internal sealed class CandidateSpill : IDisposable
{
    private readonly int _bufferSize;
    private readonly List<(ScratchFile Rechecks, ScratchFile Findings, long Count)> _files = [];
    private List<(Finding Finding, Recheck[] Rechecks)> _buffer = [];

    public CandidateSpill(int bufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        _bufferSize = bufferSize;
    }

    public long Count { get; private set; }

    /// <summary>How many times the candidates spilled to temp files (a pair each; 0 while they fit the buffer).</summary>
    public int SpillFiles => _files.Count;

    public void Add(Finding finding, Recheck[] rechecks)
    {
        foreach (var recheck in rechecks)
        {
            if (recheck is Recheck.Query query && query.Parameters.Any(p => p is not (string or DBNull)))
            {
                throw new ArgumentException($"Recheck parameters are text or DBNull (rule {finding.Rule}: {query.Sql}).", nameof(rechecks));
            }
        }

        _buffer.Add((finding, rechecks));
        Count++;
        if (_buffer.Count >= _bufferSize)
        {
            Spill();
        }
    }

    /// <summary>Every candidate, in the order added. May be enumerated again; call after the last <see cref="Add"/>.</summary>
    public async IAsyncEnumerable<(Finding Finding, Recheck[] Rechecks)> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var findings = ReadFindingsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await foreach (var rechecks in ReadRechecksAsync(cancellationToken))
        {
            if (!await findings.MoveNextAsync())
            {
                throw new InvalidDataException("A candidate spill file holds fewer findings than rechecks.");
            }

            yield return (findings.Current, rechecks);
        }

        if (await findings.MoveNextAsync())
        {
            throw new InvalidDataException("A candidate spill file holds more findings than rechecks.");
        }
    }

    /// <summary>Every candidate's rechecks, in the order added (the findings are not read).</summary>
    public async IAsyncEnumerable<Recheck[]> ReadRechecksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (file, _, _) in _files)
        {
            await foreach (var line in ReadLinesAsync(file, cancellationToken))
            {
                var spilled = JsonSerializer.Deserialize(line.Span, SpillJson.SpilledRechecks) ?? throw EmptyLine();
                yield return [.. spilled.Select(ToRecheck)];
            }
        }

        foreach (var candidate in _buffer)
        {
            yield return candidate.Rechecks;
        }
    }

    /// <summary>Every candidate's finding, in the order added (the rechecks are not read).</summary>
    public async IAsyncEnumerable<Finding> ReadFindingsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var candidate in ReadSerializedFindingsAsync(cancellationToken))
        {
            yield return candidate.Finding;
        }
    }

    /// <summary>
    /// Every candidate's finding, a spilled one as it was written: its report sort key and exactly
    /// <see cref="SpilledFindings.Serialize"/>'s text of it as UTF-8, so accepting it needs no deserialization and no
    /// second serialization (<see cref="ScanCollector.Accept(CandidateFinding)"/>).
    /// </summary>
    public async IAsyncEnumerable<CandidateFinding> ReadSerializedFindingsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (_, file, count) in _files)
        {
            await using var stream = file.OpenRead();
            using var reader = new ExternalSorter.RunReader(stream);
            var left = count;
            while (ExternalSorter.Read(reader, ref left) is { } record)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new CandidateFinding(null, record);
            }
        }

        foreach (var candidate in _buffer)
        {
            yield return new CandidateFinding(candidate.Finding, null);
        }
    }

    /// <summary>
    /// The file's lines as their UTF-8 bytes, each valid until the next is read: deserialized from the bytes as they
    /// are, not decoded to a string first and transcoded back to UTF-8 by the serializer (a wiped 10^5 scan reads
    /// 600,000 lines of about a kilobyte).
    /// </summary>
    internal static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLinesAsync(ScratchFile file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = file.OpenRead();
        var buffer = new byte[1 << 16];
        // start: the line being read; searched: how far it is known to hold no newline (so a long line is searched once).
        var (start, searched, end) = (0, 0, 0);
        while (true)
        {
            var newline = buffer.AsSpan(searched, end - searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                yield return buffer.AsMemory(start, searched + newline - start);
                start = searched = searched + newline + 1;
                continue;
            }

            // No whole line left: keep the partial one at the front and read more after it, growing for a long line.
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            (start, searched, end) = (0, end - start, end - start);
            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
            if (read == 0)
            {
                if (end > 0)
                {
                    yield return buffer.AsMemory(0, end);
                }

                yield break;
            }

            end += read;
        }
    }

    private static InvalidDataException EmptyLine() => new("A candidate spill file holds an empty line.");

    public void Dispose()
    {
        foreach (var (rechecks, findings, _) in _files)
        {
            rechecks.Dispose();
            findings.Dispose();
        }

        _files.Clear();
        _buffer = [];
    }

    private void Spill()
    {
        // Listed before writing, so a failed write still leaves the files to Dispose.
        var files = (Rechecks: ScratchFile.Create("dbintegrity-rechecks"), Findings: ScratchFile.Create("dbintegrity-candidates"), Count: (long)_buffer.Count);
        _files.Add(files);
        using var rechecks = files.Rechecks.OpenWrite();
        using var findings = new BinaryWriter(files.Findings.OpenWrite(), Encoding.UTF8);
        // A finding goes out as a sort record (ExternalSorter.Write): the key the report is sorted by, then the same
        // text as SpilledFindings.Serialize, as UTF-8 through one reused buffer. Accepting it later reads both as they are.
        var text = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(text);
        foreach (var (finding, candidateRechecks) in _buffer)
        {
            JsonSerializer.Serialize(rechecks, candidateRechecks.Select(FromRecheck).ToArray(), SpillJson.SpilledRechecks);
            rechecks.WriteByte((byte)'\n');
            text.ResetWrittenCount();
            json.Reset(text);
            JsonSerializer.Serialize(json, finding, SpillJson.SpilledFinding);
            ExternalSorter.Write(findings, SpilledFindings.SortKey(finding), text.WrittenSpan);
        }

        _buffer = [];
    }

    private static SpilledRecheck FromRecheck(Recheck recheck) => recheck switch
    {
        Recheck.ObjectMissing missing => new SpilledRecheck("missing", missing.Key, null, null),
        Recheck.ObjectPresent present => new SpilledRecheck("present", present.Key, null, null),
        Recheck.Query query => new SpilledRecheck("query", null, query.Sql, [.. query.Parameters.Select(p => p as string)]),
        _ => throw new InvalidOperationException($"Unknown recheck {recheck.GetType().Name}."),
    };

    private static Recheck ToRecheck(SpilledRecheck spilled) => spilled.Kind switch
    {
        "missing" => new Recheck.ObjectMissing(spilled.Key!),
        "present" => new Recheck.ObjectPresent(spilled.Key!),
        "query" => new Recheck.Query(spilled.Sql!, [.. spilled.Parameters!.Select(p => (object?)p ?? DBNull.Value)]),
        _ => throw new InvalidDataException($"A candidate spill file holds an unknown recheck kind {spilled.Kind}."),
    };

    internal sealed record SpilledRecheck(string Kind, string? Key, string? Sql, string?[]? Parameters);
}

/// <summary>
/// A candidate's finding as confirmation reads it back: held in memory, or spilled, as its report sort key and
/// serialized text (<see cref="CandidateSpill.ReadSerializedFindingsAsync"/>).
/// </summary>
internal readonly record struct CandidateFinding(Finding? Held, SortRecord? Spilled)
{
    /// <summary>The finding itself (a spilled one is deserialized for it).</summary>
    public Finding Finding => Held ?? SpilledFindings.Deserialize(Spilled!.Utf8Value);
}
