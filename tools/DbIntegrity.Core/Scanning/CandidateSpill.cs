using System.Runtime.CompilerServices;
using System.Text.Json;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Candidate findings waiting for confirmation, in arrival order, in bounded memory: up to <c>bufferSize</c> are held,
/// the rest go to temp files (JSON lines; unnamed from the start, <see cref="ScratchFile"/>) that are read back in order. A lost prefix makes one candidate per row, so
/// holding them all would make memory grow with the damage (issue 13). Each spill writes two files, in step: the
/// rechecks and the findings, because confirmation reads the rechecks alone first and the findings alone after, and
/// deserializing what a pass does not use was most of a wiped scan's confirmation time. Not thread-safe: the
/// collector locks.
/// </summary>
internal sealed class CandidateSpill : IDisposable
{
    private readonly int _bufferSize;
    private readonly List<(ScratchFile Rechecks, ScratchFile Findings)> _files = [];
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
        foreach (var (file, _) in _files)
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
        await foreach (var (finding, _) in ReadSerializedFindingsAsync(cancellationToken))
        {
            yield return finding;
        }
    }

    /// <summary>
    /// Every candidate's finding with, for a spilled one, the line it was read from: exactly
    /// <see cref="SpilledFindings.Serialize"/>'s text of it, as UTF-8, so accepting it needs no second serialization.
    /// </summary>
    public async IAsyncEnumerable<(Finding Finding, byte[]? Serialized)> ReadSerializedFindingsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (_, file) in _files)
        {
            await foreach (var line in ReadLinesAsync(file, cancellationToken))
            {
                yield return (JsonSerializer.Deserialize(line.Span, SpillJson.SpilledFinding) ?? throw EmptyLine(), line.ToArray());
            }
        }

        foreach (var candidate in _buffer)
        {
            yield return (candidate.Finding, null);
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
        foreach (var (rechecks, findings) in _files)
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
        var files = (Rechecks: ScratchFile.Create("dbintegrity-rechecks"), Findings: ScratchFile.Create("dbintegrity-candidates"));
        _files.Add(files);
        using var rechecks = files.Rechecks.OpenWrite();
        using var findings = files.Findings.OpenWrite();
        // UTF-8 straight to the files: the same text as SpilledFindings.Serialize, without the string between.
        foreach (var (finding, candidateRechecks) in _buffer)
        {
            JsonSerializer.Serialize(rechecks, candidateRechecks.Select(FromRecheck).ToArray(), SpillJson.SpilledRechecks);
            rechecks.WriteByte((byte)'\n');
            JsonSerializer.Serialize(findings, finding, SpillJson.SpilledFinding);
            findings.WriteByte((byte)'\n');
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
