using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Candidate findings waiting for confirmation, in arrival order, in bounded memory: up to <c>bufferSize</c> are held,
/// the rest go to temp files (JSON lines) that are read back in order. A lost prefix makes one candidate per row, so
/// holding them all would make memory grow with the damage (issue 13). Not thread-safe: the collector locks.
/// </summary>
internal sealed class CandidateSpill : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly int _bufferSize;
    private readonly List<string> _files = [];
    private List<(Finding Finding, Recheck[] Rechecks)> _buffer = [];

    public CandidateSpill(int bufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        _bufferSize = bufferSize;
    }

    public long Count { get; private set; }

    /// <summary>How many temp files the candidates went to (0 while they fit the buffer).</summary>
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
        foreach (var path in _files)
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var spilled = JsonSerializer.Deserialize<Spilled>(line, Json)
                    ?? throw new InvalidDataException($"A candidate spill file ({path}) holds an empty line.");
                yield return (spilled.Finding, [.. spilled.Rechecks.Select(ToRecheck)]);
            }
        }

        foreach (var candidate in _buffer)
        {
            yield return candidate;
        }
    }

    public void Dispose()
    {
        foreach (var path in _files)
        {
            File.Delete(path);
        }

        _files.Clear();
        _buffer = [];
    }

    private void Spill()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dbintegrity-candidates-{Guid.NewGuid():N}.jsonl");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (var (finding, rechecks) in _buffer)
            {
                JsonSerializer.Serialize(file, new Spilled(finding, [.. rechecks.Select(FromRecheck)]), Json);
                file.WriteByte((byte)'\n');
            }
        }

        _files.Add(path);
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

    private sealed record Spilled(Finding Finding, SpilledRecheck[] Rechecks);

    private sealed record SpilledRecheck(string Kind, string? Key, string? Sql, string?[]? Parameters);
}
