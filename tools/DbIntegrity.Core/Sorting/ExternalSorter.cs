using System.Runtime.CompilerServices;
using System.Text;

namespace DbIntegrity.Core.Sorting;

/// <summary>
/// Sorts records by a key in UTF-8 byte order (<see cref="SortRecord.Compare"/>), in bounded memory: runs of <c>runSize</c> records are sorted in
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
    private bool _taken;

    public ExternalSorter(int runSize = 25_000)
    {
        _runSize = runSize;
    }

    public long Count { get; private set; }

    /// <summary>How many runs were written to disk so far (open ones included): a test's view of how the input was split.</summary>
    internal int Runs => _spills.Count + _open.Count;

    public Task AddAsync(SortRecord record, CancellationToken cancellationToken)
    {
        ThrowIfTaken();
        Count++;
        if (_spills.Count > 0 && Append(record.Utf8Key, record.Utf8Value))
        {
            return Task.CompletedTask;
        }

        Buffer(record, cancellationToken);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Adds a record given as its bytes (valid only during the call): a record that goes straight to an open run is
    /// written from them and never becomes an object; only one that waits in the buffer is copied. A lost prefix's
    /// accepted findings arrive in a few ordered streams, so nearly all of them go straight to a run.
    /// </summary>
    public void Add(ReadOnlySpan<byte> utf8Key, ReadOnlySpan<byte> utf8Value, CancellationToken cancellationToken)
    {
        ThrowIfTaken();
        Count++;
        if (_spills.Count > 0 && Append(utf8Key, utf8Value))
        {
            return;
        }

        Buffer(new SortRecord(utf8Key.ToArray(), utf8Value.ToArray()), cancellationToken);
    }

    private void Buffer(SortRecord record, CancellationToken cancellationToken)
    {
        _buffer.Add(record);
        if (_buffer.Count >= _runSize)
        {
            Spill(cancellationToken);
        }
    }

    /// <summary>
    /// Every record, in key order. Call after the last <see cref="AddAsync"/>; it may be enumerated again (the spill
    /// files stay until the sorter is disposed).
    /// </summary>
    public async IAsyncEnumerable<SortRecord> SortedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfTaken();
        if (_spills.Count == 0)
        {
            _buffer.Sort(SortRecord.Compare);
            foreach (var record in _buffer)
            {
                yield return record;
            }

            yield break;
        }

        // The runs merged by the cursor, each record copied out of its buffers.
        using var cursor = OpenSorted(cancellationToken);
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new SortRecord(cursor.Key.ToArray(), cursor.Value.ToArray());
        }
    }

    /// <summary>
    /// Every record in key order, one at a time, as its bytes in buffers the cursor reuses (<see cref="SortedCursor"/>):
    /// <see cref="SortedAsync"/> without an object or a copy per record. Call after the last <see cref="AddAsync"/> or
    /// <see cref="Add"/>; the sorter may be read again afterwards.
    /// </summary>
    internal SortedCursor OpenSorted(CancellationToken cancellationToken)
    {
        ThrowIfTaken();
        if (_spills.Count == 0)
        {
            _buffer.Sort(SortRecord.Compare);
            return new SortedCursor(_buffer, [], []);
        }

        if (_buffer.Count > 0)
        {
            Spill(cancellationToken);
        }

        CloseOpenRuns();
        return new SortedCursor([], [.. _spills.Select(spill => new RunReader(spill.File.OpenRead()))], [.. _spills.Select(spill => spill.Count)]);
    }

    /// <summary>
    /// The records of one sorter in key order: those held in memory, or the runs merged (each run's head read into
    /// buffers of its own, reused). <see cref="Key"/> and <see cref="Value"/> are valid until the next <see cref="MoveNext"/>.
    /// </summary>
    internal sealed class SortedCursor : IDisposable
    {
        private readonly List<SortRecord> _held;
        private readonly RunReader[] _runs;
        private readonly long[] _left;
        private readonly byte[][] _keys;
        private readonly byte[][] _values;
        private readonly int[] _keyLengths;
        private readonly int[] _valueLengths;
        private readonly PriorityQueue<int, int> _heads;
        private int _nextHeld;
        private int _current = -1;
        private bool _started;

        internal SortedCursor(List<SortRecord> held, RunReader[] runs, long[] counts)
        {
            _held = held;
            _runs = runs;
            _left = counts;
            _keys = [.. runs.Select(_ => new byte[256])];
            _values = [.. runs.Select(_ => new byte[64])];
            _keyLengths = new int[runs.Length];
            _valueLengths = new int[runs.Length];
            _heads = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => KeyOf(a).SequenceCompareTo(KeyOf(b))));
        }

        public ReadOnlySpan<byte> Key => _runs.Length == 0 ? _held[_nextHeld - 1].Utf8Key : KeyOf(_current);

        public ReadOnlySpan<byte> Value => _runs.Length == 0 ? _held[_nextHeld - 1].Utf8Value : _values[_current].AsSpan(0, _valueLengths[_current]);

        public bool MoveNext()
        {
            if (_runs.Length == 0)
            {
                if (_nextHeld == _held.Count)
                {
                    return false;
                }

                _nextHeld++;
                return true;
            }

            if (!_started)
            {
                _started = true;
                for (var run = 0; run < _runs.Length; run++)
                {
                    Advance(run);
                }
            }
            else if (_current >= 0)
            {
                // The record read last is done with: its run's next head may take its buffers.
                Advance(_current);
            }

            return _heads.TryDequeue(out _current, out _);
        }

        public void Dispose()
        {
            foreach (var run in _runs)
            {
                run.Dispose();
            }
        }

        private ReadOnlySpan<byte> KeyOf(int run) => _keys[run].AsSpan(0, _keyLengths[run]);

        private void Advance(int run)
        {
            if (_left[run] == 0)
            {
                return;
            }

            _left[run]--;
            _keyLengths[run] = _runs[run].ReadBytes(ref _keys[run]);
            _valueLengths[run] = _runs[run].ReadBytes(ref _values[run]);
            _heads.Enqueue(run, run);
        }
    }

    /// <summary>
    /// Where each record lies, in key order, found by merging the keys and passing over the payloads (read through one
    /// reused buffer, not kept); the run files pass to the result and the sorter is done (call once, after the last
    /// <see cref="AddAsync"/>; it takes no more records afterwards). A caller that reads records back one at a time
    /// (the report's findings beyond the buffer, <c>SpilledFindings</c>) reads them where the runs hold them: writing
    /// them out again in order was a wiped scan's largest file, and on a machine whose fresh memory is slow to touch
    /// (a virtual machine's page cache), most of the time it took to list the findings.
    /// </summary>
    internal SortedRecords TakeSorted(CancellationToken cancellationToken)
    {
        ThrowIfTaken();
        if (Count > Array.MaxLength)
        {
            throw new InvalidOperationException($"{Count} records are more than one list can locate.");
        }

        if (_buffer.Count > 0)
        {
            Spill(cancellationToken);
        }

        CloseOpenRuns();
        var files = _spills.Select(spill => spill.File).ToArray();
        var counts = _spills.Select(spill => spill.Count).ToArray();
        var records = new SortedRecords(files, (int)Count);
        // From here the files are the result's, whatever happens; the sorter is done.
        _spills.Clear();
        _taken = true;
        try
        {
            Locate(records, counts, cancellationToken);
            if (records.Count != Count)
            {
                throw new InvalidDataException($"The sort runs hold {records.Count} records, not the {Count} added.");
            }
        }
        catch
        {
            records.Dispose();
            throw;
        }

        Count = 0;
        return records;
    }

    // The merge of SortedAsync, keeping each head's key (in a buffer of its run's, reused: a run's next key is read
    // only once its head has left the queue) and where its record lies, instead of its payload.
    private static void Locate(SortedRecords records, long[] left, CancellationToken cancellationToken)
    {
        var readers = records.Runs.Select(file => new RunReader(file.OpenRead())).ToList();
        try
        {
            var keys = new byte[readers.Count][];
            Array.Fill(keys, []);
            var keyLengths = new int[readers.Count];
            var starts = new long[readers.Count];
            var heads = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => keys[a].AsSpan(0, keyLengths[a]).SequenceCompareTo(keys[b].AsSpan(0, keyLengths[b]))));
            void Next(int run)
            {
                if (left[run] == 0)
                {
                    return;
                }

                left[run]--;
                starts[run] = readers[run].Position;
                keyLengths[run] = readers[run].ReadBytes(ref keys[run]);
                readers[run].SkipBytes();
                heads.Enqueue(run, run);
            }

            for (var run = 0; run < readers.Count; run++)
            {
                Next(run);
            }

            while (heads.TryDequeue(out var run, out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
                records.Add(run, starts[run], checked((int)(readers[run].Position - starts[run])));
                Next(run);
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

    private void ThrowIfTaken()
    {
        if (_taken)
        {
            throw new InvalidOperationException("The sorted records were taken (TakeSorted); the sorter holds none.");
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
        _buffer.Sort(SortRecord.Compare);
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
    private bool Append(ReadOnlySpan<byte> utf8Key, ReadOnlySpan<byte> utf8Value)
    {
        OpenRun? best = null;
        foreach (var run in _open)
        {
            if (run.LastKey.SequenceCompareTo(utf8Key) <= 0
                && (best is null || run.LastKey.SequenceCompareTo(best.LastKey) > 0))
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

        best.Append(utf8Key, utf8Value);
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

    private static void Write(BinaryWriter writer, SortRecord record) => Write(writer, record.Utf8Key, record.Utf8Value);

    /// <summary>
    /// A record as a run holds it: the key's UTF-8 bytes after their count (7-bit encoded; the same bytes
    /// <see cref="BinaryWriter.Write(string)"/> writes for the key as text), then the payload the same way.
    /// <see cref="RunReader"/> reads both back as bytes. Other scratch files of sortable records use it too (the
    /// candidates' findings, <c>CandidateSpill</c>).
    /// </summary>
    internal static void Write(BinaryWriter writer, ReadOnlySpan<byte> utf8Key, ReadOnlySpan<byte> payload)
    {
        writer.Write7BitEncodedInt(utf8Key.Length);
        writer.Write(utf8Key);
        writer.Write7BitEncodedInt(payload.Length);
        writer.Write(payload);
    }

    /// <summary>
    /// Reads what <see cref="Write(BinaryWriter, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> wrote: each field as the
    /// bytes it was written as, into a buffer the caller reuses, or passed over. Nothing is decoded.
    /// </summary>
    internal sealed class RunReader(Stream stream) : IDisposable
    {
        private readonly BinaryReader _reader = new(stream, Encoding.UTF8);
        private byte[]? _skipped;

        /// <summary>How many bytes were read so far: where the next field's length starts in the run.</summary>
        public long Position { get; private set; }

        /// <summary>Reads the next field into <paramref name="buffer"/> (grown when too small); its length.</summary>
        public int ReadBytes(ref byte[] buffer)
        {
            var length = Length();
            if (buffer.Length < length)
            {
                buffer = new byte[Math.Max(length, 256)];
            }

            _reader.BaseStream.ReadExactly(buffer, 0, length);
            Position += length;
            return length;
        }

        /// <summary>Passes over the next field.</summary>
        public void SkipBytes()
        {
            var length = Length();
            _skipped ??= new byte[1 << 16];
            for (var left = length; left > 0;)
            {
                var n = Math.Min(left, _skipped.Length);
                _reader.BaseStream.ReadExactly(_skipped, 0, n);
                left -= n;
            }

            Position += length;
        }

        private int Length()
        {
            var length = _reader.Read7BitEncodedInt();
            if (length < 0)
            {
                throw new InvalidDataException("A sort run holds a negative length.");
            }

            // Read7BitEncodedInt takes seven bits a byte.
            Position += length < 1 << 7 ? 1 : length < 1 << 14 ? 2 : length < 1 << 21 ? 3 : length < 1 << 28 ? 4 : 5;
            return length;
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

        // The last key appended, copied into a buffer of the run's own (the caller's bytes are only lent).
        private byte[] _lastKey = [];
        private int _lastKeyLength;

        public ReadOnlySpan<byte> LastKey => _lastKey.AsSpan(0, _lastKeyLength);

        public void Append(ReadOnlySpan<byte> utf8Key, ReadOnlySpan<byte> utf8Value)
        {
            Write(_writer, utf8Key, utf8Value);
            if (_lastKey.Length < utf8Key.Length)
            {
                _lastKey = new byte[Math.Max(utf8Key.Length, 2 * _lastKey.Length)];
            }

            utf8Key.CopyTo(_lastKey);
            _lastKeyLength = utf8Key.Length;
            Count++;
        }

        public void Dispose() => _writer.Dispose();
    }
}
