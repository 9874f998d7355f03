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
    private readonly List<(ScratchFile File, long Count)> _spills = [];
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
        var readers = _spills.Select(spill => new RunReader(spill.File.OpenRead())).ToList();
        var left = _spills.Select(spill => spill.Count).ToArray();
        try
        {
            var heads = new PriorityQueue<(SortRecord Record, int Reader), SortRecord>(comparer);
            for (var i = 0; i < readers.Count; i++)
            {
                if (Read(readers[i], ref left[i]) is { } first)
                {
                    heads.Enqueue((first, i), first);
                }
            }

            while (heads.TryDequeue(out var head, out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return head.Record;
                if (Read(readers[head.Reader], ref left[head.Reader]) is { } next)
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
        foreach (var (file, _) in _spills)
        {
            file.Dispose();
        }

        _spills.Clear();
        return ValueTask.CompletedTask;
    }

    // Synchronous on purpose: BinaryWriter writes synchronously anyway, and a buffered 64 KiB file write is cheaper
    // than the async state machine around each record.
    private void Spill(CancellationToken cancellationToken)
    {
        _buffer.Sort((a, b) => Utf8Ordinal.Instance.Compare(a.Key, b.Key));
        var file = ScratchFile.Create("dbintegrity-sort");
        // Listed before writing, so a failed write still leaves the file to DisposeAsync.
        _spills.Add((file, _buffer.Count));
        using (var writer = new BinaryWriter(file.OpenWrite(), Encoding.UTF8))
        {
            foreach (var record in _buffer)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Write(writer, record);
            }
        }

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

            best = new OpenRun(ScratchFile.Create("dbintegrity-sort"));
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
            _spills.Add((run.File, run.Count));
        }

        _open.Clear();
    }

    private static void Write(BinaryWriter writer, SortRecord record) => Write(writer, record.Key, record.Utf8Value);

    /// <summary>
    /// A record as a run holds it: the key as <see cref="BinaryWriter.Write(string)"/> writes it (a 7-bit encoded UTF-8
    /// byte count, then the bytes), the payload the same way from its bytes as they are. <see cref="RunReader"/> reads
    /// both back. Other scratch files of sortable records use it too (the candidates' findings, <c>CandidateSpill</c>).
    /// </summary>
    internal static void Write(BinaryWriter writer, string key, ReadOnlySpan<byte> payload)
    {
        writer.Write(key);
        writer.Write7BitEncodedInt(payload.Length);
        writer.Write(payload);
    }

    /// <summary>The next of <paramref name="left"/> records, or null when none is left.</summary>
    internal static SortRecord? Read(RunReader reader, ref long left)
    {
        if (left == 0)
        {
            return null;
        }

        left--;
        return new SortRecord(reader.ReadString(), reader.ReadBytes());
    }

    /// <summary>
    /// Reads what <see cref="Write(BinaryWriter, string, ReadOnlySpan{byte})"/> wrote (a 7-bit encoded UTF-8 byte count, then the bytes), a key through one
    /// reused byte buffer: <see cref="BinaryReader.ReadString"/> builds a string longer than 128 bytes in a
    /// StringBuilder, chunk by chunk, which at 300,000 spilled findings of ~1 KB allocated 1.3 GB of char arrays.
    /// </summary>
    internal sealed class RunReader(Stream stream) : IDisposable
    {
        private readonly BinaryReader _reader = new(stream, Encoding.UTF8);
        private byte[] _bytes = new byte[4096];

        public string ReadString()
        {
            var length = Length();
            if (_bytes.Length < length)
            {
                _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
            }

            _reader.BaseStream.ReadExactly(_bytes, 0, length);
            return Encoding.UTF8.GetString(_bytes, 0, length);
        }

        /// <summary>A payload, as the bytes it was written as (<see cref="SortRecord.Utf8Value"/>).</summary>
        public byte[] ReadBytes()
        {
            var bytes = new byte[Length()];
            _reader.BaseStream.ReadExactly(bytes);
            return bytes;
        }

        private int Length()
        {
            var length = _reader.Read7BitEncodedInt();
            return length >= 0 ? length : throw new InvalidDataException("A sort run holds a negative length.");
        }

        public void Dispose() => _reader.Dispose();
    }

    private sealed class OpenRun : IDisposable
    {
        private readonly BinaryWriter _writer;

        public OpenRun(ScratchFile file)
        {
            File = file;
            _writer = new BinaryWriter(file.OpenWrite(), Encoding.UTF8);
        }

        public ScratchFile File { get; }

        public long Count { get; private set; }

        public string LastKey { get; private set; } = string.Empty;

        public void Append(SortRecord record)
        {
            Write(_writer, record);
            LastKey = record.Key;
            Count++;
        }

        public void Dispose() => _writer.Dispose();
    }
}
