using System.Runtime.CompilerServices;
using System.Text;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Sorting;

/// <summary>
/// Sorts records by a string key in UTF-8 byte order, in bounded memory: runs of <c>runSize</c> records are sorted in
/// memory and spilled to temp files, then merged. Memory stays at one run plus one record per spilled file, whatever
/// the total.
/// <para>
/// Once the first run has spilled, records that arrive in order are not buffered at all: each is appended to the open
/// run on disk whose last key is the greatest one not above its own (up to <see cref="MaxOpenRuns"/> such runs;
/// patience sorting), and only a record that fits none waits in the buffer. Most large inputs are a few ordered
/// streams interleaved (a lost prefix's candidates: one finding per rule per identifier, in identifier order; the
/// object keys they name; the indexes of rejected candidates), so they become that many runs, written as they come
/// and merged a few ways, instead of a run per <c>runSize</c> records, each sorted and then merged many ways.
/// Records in no useful order (icon references) still fill the buffer as before.
/// </para>
/// </summary>
internal sealed class ExternalSorter : IAsyncDisposable
{
    /// <summary>At most this many ordered runs are open for appending (a 64 KiB write buffer each).</summary>
    internal const int MaxOpenRuns = 8;

    private readonly int _runSize;
    private readonly List<string> _spills = [];
    private readonly List<OpenRun> _open = [];
    private List<SortRecord> _buffer = [];

    public ExternalSorter(int runSize = 25_000)
    {
        _runSize = runSize;
    }

    public long Count { get; private set; }

    /// <summary>How many runs were written to disk so far (open ones included): a test's view of how the input was split.</summary>
    internal int Runs => _spills.Count + _open.Count;

    public Task AddAsync(SortRecord record, CancellationToken cancellationToken)
    {
        Count++;
        if (_spills.Count > 0 && Append(record))
        {
            return Task.CompletedTask;
        }

        _buffer.Add(record);
        if (_buffer.Count >= _runSize)
        {
            Spill(cancellationToken);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Every record, in key order. Call after the last <see cref="AddAsync"/>; it may be enumerated again (the spill
    /// files stay until the sorter is disposed).
    /// </summary>
    public async IAsyncEnumerable<SortRecord> SortedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var comparer = Comparer<SortRecord>.Create((a, b) => Utf8Ordinal.Instance.Compare(a.Key, b.Key));
        if (_spills.Count == 0)
        {
            _buffer.Sort(comparer);
            foreach (var record in _buffer)
            {
                yield return record;
            }

            yield break;
        }

        if (_buffer.Count > 0)
        {
            Spill(cancellationToken);
        }

        CloseOpenRuns();
        var readers = _spills.Select(path => new BinaryReader(File.OpenRead(path), Encoding.UTF8)).ToList();
        try
        {
            var heads = new PriorityQueue<(SortRecord Record, int Reader), SortRecord>(comparer);
            for (var i = 0; i < readers.Count; i++)
            {
                if (Read(readers[i]) is { } first)
                {
                    heads.Enqueue((first, i), first);
                }
            }

            while (heads.TryDequeue(out var head, out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return head.Record;
                if (Read(readers[head.Reader]) is { } next)
                {
                    heads.Enqueue((next, head.Reader), next);
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        CloseOpenRuns();
        foreach (var path in _spills)
        {
            File.Delete(path);
        }

        _spills.Clear();
        return ValueTask.CompletedTask;
    }

    // Synchronous on purpose: BinaryWriter writes synchronously anyway, and a buffered 64 KiB file write is cheaper
    // than the async state machine around each record.
    private void Spill(CancellationToken cancellationToken)
    {
        _buffer.Sort((a, b) => Utf8Ordinal.Instance.Compare(a.Key, b.Key));
        var path = Path.Combine(Path.GetTempPath(), $"dbintegrity-sort-{Guid.NewGuid():N}.bin");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new BinaryWriter(file, Encoding.UTF8))
        {
            foreach (var record in _buffer)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.Write(record.Key);
                writer.Write(record.Value);
            }
        }

        _spills.Add(path);
        _buffer = [];
    }

    // The open run whose last key is the greatest one not above the record's (so the runs with lower last keys stay free
    // for records that need them), else a new run while fewer than MaxOpenRuns are open.
    private bool Append(SortRecord record)
    {
        OpenRun? best = null;
        foreach (var run in _open)
        {
            if (Utf8Ordinal.Instance.Compare(run.LastKey, record.Key) <= 0
                && (best is null || Utf8Ordinal.Instance.Compare(run.LastKey, best.LastKey) > 0))
            {
                best = run;
            }
        }

        if (best is null)
        {
            if (_open.Count >= MaxOpenRuns)
            {
                return false;
            }

            best = new OpenRun(Path.Combine(Path.GetTempPath(), $"dbintegrity-sort-{Guid.NewGuid():N}.bin"));
            _open.Add(best);
        }

        best.Append(record);
        return true;
    }

    private void CloseOpenRuns()
    {
        foreach (var run in _open)
        {
            run.Dispose();
            _spills.Add(run.Path);
        }

        _open.Clear();
    }

    private static SortRecord? Read(BinaryReader reader) =>
        reader.BaseStream.Position < reader.BaseStream.Length ? new SortRecord(reader.ReadString(), reader.ReadString()) : null;

    private sealed class OpenRun : IDisposable
    {
        private readonly BinaryWriter _writer;

        public OpenRun(string path)
        {
            Path = path;
            _writer = new BinaryWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8);
        }

        public string Path { get; }

        public string LastKey { get; private set; } = string.Empty;

        public void Append(SortRecord record)
        {
            _writer.Write(record.Key);
            _writer.Write(record.Value);
            LastKey = record.Key;
        }

        public void Dispose() => _writer.Dispose();
    }
}
