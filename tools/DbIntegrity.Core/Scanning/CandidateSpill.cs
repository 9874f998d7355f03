using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Candidate findings waiting for confirmation, in arrival order, in bounded memory: the first <c>bufferSize</c> are held
/// as they are, and every later one is serialized as soon as it is added, into a chunk in memory that goes to two temp
/// files (unnamed from the start, <see cref="ScratchFile"/>) once it is full; they are read back in order. A lost prefix makes one candidate per row, so
/// holding them all would make memory grow with the damage (issue 13). The two files are the rechecks (binary:
/// WriteRechecks) and the findings (sort records: the report's sort key and the rest of the finding), because
/// confirmation reads the rechecks alone first and the findings alone after, and deserializing what a pass does not
/// use was most of a wiped scan's confirmation time. Not thread-safe: the collector locks.
/// <para>
/// Written as they are added, not held and written later: a candidate's objects are then garbage before the next
/// collection instead of surviving it in a buffer, and its strings are encoded while they are still in the cache. The bytes gather in a chunk of
/// about <c>chunkBytes</c> per pair, written at the files' end on a pool thread while the next chunk fills (the
/// caller is the identifier pass's merge, the scan's critical path); the last chunk is read from memory. One pair of
/// files however many candidates: a file pair per full buffer was 240 files at 10⁵ identifiers, and creating and
/// deleting them showed in the kernel's share of the scan (docs/benchmarks.md).
/// </para>
/// </summary>
internal sealed class CandidateSpill : IDisposable
{
    private readonly int _bufferSize;
    private readonly int _chunkBytes;
    private readonly List<(Finding Finding, Recheck[] Rechecks)> _held = [];

    // The chunk filling (rechecks, findings), and the one being written or free for the next.
    private Chunk _filling = new();
    private Chunk _spare = new();
    private (ScratchFile Rechecks, ScratchFile Findings)? _files;
    private long _rechecksEnd;
    private long _findingsEnd;
    private long _inFiles;
    private Task _writing = Task.CompletedTask;
    private bool _disposed;
    private readonly ArrayBufferWriter<byte> _key = new(1024);
    private readonly ArrayBufferWriter<byte> _rest = new(256);

    public CandidateSpill(int bufferSize, int chunkBytes = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        _bufferSize = bufferSize;
        _chunkBytes = chunkBytes;
    }

    public long Count { get; private set; }

    /// <summary>How many candidates were written out as bytes (0 while they fit the buffer).</summary>
    public long Spilled => _inFiles + _filling.Count;

    /// <summary>How many of the spilled candidates were written to the temp files (the rest are in the chunk filling).</summary>
    internal long InFiles => _inFiles;

    /// <summary>Whether the spilled candidates reached the temp files (a pair; until then their bytes are in memory).</summary>
    public bool HasFiles => _files is not null;

    public void Add(Finding finding, Recheck[] rechecks) => Add(new FindingDraft(finding), rechecks);

    /// <summary>
    /// A candidate: held as a <see cref="Finding"/> while the buffer has room, else written out from the draft as it is
    /// (its message never made a string).
    /// </summary>
    public void Add(FindingDraft finding, Recheck[] rechecks)
    {
        foreach (var recheck in rechecks)
        {
            if (recheck is Recheck.Query query && query.Parameters.Any(p => p is not (string or DBNull)))
            {
                throw new ArgumentException($"Recheck parameters are text or DBNull (rule {finding.Rule}: {query.Sql}).", nameof(rechecks));
            }
        }

        if (_disposed)
        {
            // A scan abandoned at its deadline still reporting: its report is written, and the files are gone.
            return;
        }

        if (_held.Count < _bufferSize && Spilled == 0)
        {
            _held.Add((finding.ToFinding(), rechecks));
            Count++;
            return;
        }

        // A finding goes out as a sort record (ExternalSorter.Write): the key the report is sorted by, then the rest of
        // the finding (SpilledFindings.WriteRest), through reused buffers. Accepting it later reads both as they are.
        // Both are made before anything is appended, and a failure part way takes back what was: the chunk holds whole
        // candidates only.
        _key.ResetWrittenCount();
        SpilledFindings.WriteSortKey(finding, _key);
        _rest.ResetWrittenCount();
        SpilledFindings.WriteRest(finding, _rest);
        _filling.Append(rechecks, _key.WrittenSpan, _rest.WrittenSpan);
        Count++;
        if (_filling.Bytes >= _chunkBytes)
        {
            WriteFilling();
        }
    }

    /// <summary>Every candidate, in the order added. May be enumerated again; call after the last <see cref="Add(FindingDraft, Recheck[])"/>.</summary>
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

    /// <summary>
    /// Every candidate's rechecks, in the order added (the findings are not read), as objects (tests; confirmation reads
    /// them through <see cref="OpenRechecksAsync"/>, which lends an object's key as bytes).
    /// </summary>
    public async IAsyncEnumerable<Recheck[]> ReadRechecksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await OpenRechecksAsync();
        var candidate = new List<Recheck>();
        long next = 0;
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The candidates before this recheck's are complete (those without a recheck too).
            for (; next < cursor.Candidate; next++)
            {
                yield return [.. candidate];
                candidate.Clear();
            }

            candidate.Add(cursor.Kind switch
            {
                RecheckKind.ObjectMissing => new Recheck.ObjectMissing(Encoding.UTF8.GetString(cursor.Key)),
                RecheckKind.ObjectPresent => new Recheck.ObjectPresent(Encoding.UTF8.GetString(cursor.Key)),
                _ => cursor.Query!,
            });
        }

        for (; next < Count; next++)
        {
            yield return [.. candidate];
            candidate.Clear();
        }
    }

    /// <summary>
    /// Every candidate's rechecks in the order added, one at a time (<see cref="RecheckCursor"/>): an object's key as its
    /// UTF-8 bytes, as the file holds them, so confirmation sorts it without a string made and encoded again. Call after
    /// the last <see cref="Add(FindingDraft, Recheck[])"/>.
    /// </summary>
    public async Task<RecheckCursor> OpenRechecksAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writing;
        return new RecheckCursor(_held, SpilledBytes(rechecks: true).GetEnumerator(), Count);
    }

    /// <summary>
    /// The candidates' rechecks one at a time, each with its candidate's index (<see cref="Candidate"/>, counted from 0 in
    /// the order added): an object recheck as its kind and its key's UTF-8 bytes (<see cref="Key"/>, in a buffer the
    /// cursor reuses: valid until the next <see cref="MoveNext"/>), a query recheck as itself (<see cref="Query"/>).
    /// </summary>
    public sealed class RecheckCursor : IDisposable
    {
        private readonly List<(Finding Finding, Recheck[] Rechecks)> _held;
        private readonly IEnumerator<(Stream Stream, long Count)> _spilled;
        private readonly long _candidates;
        private int _nextHeld;
        private Recheck[]? _heldRechecks;
        private int _nextInHeld;
        private RecheckReader? _reader;
        private long _candidatesLeft;
        private int _rechecksLeft;
        private byte[] _key = new byte[256];
        private int _keyLength;

        internal RecheckCursor(List<(Finding Finding, Recheck[] Rechecks)> held, IEnumerator<(Stream Stream, long Count)> spilled, long candidates)
        {
            _held = held;
            _spilled = spilled;
            _candidates = candidates;
        }

        /// <summary>The index of the candidate the current recheck is one of.</summary>
        public long Candidate { get; private set; } = -1;

        public RecheckKind Kind { get; private set; }

        /// <summary>An object recheck's key, as UTF-8.</summary>
        public ReadOnlySpan<byte> Key => _key.AsSpan(0, _keyLength);

        /// <summary>A query recheck; null for an object one.</summary>
        public Recheck.Query? Query { get; private set; }

        public bool MoveNext()
        {
            while (true)
            {
                // The current candidate's next recheck, if it has one left.
                if (_heldRechecks is not null)
                {
                    if (_nextInHeld < _heldRechecks.Length)
                    {
                        Take(_heldRechecks[_nextInHeld++]);
                        return true;
                    }

                    _heldRechecks = null;
                }
                else if (_rechecksLeft > 0)
                {
                    _rechecksLeft--;
                    TakeSpilled(_reader!);
                    return true;
                }

                // Else the next candidate: held, then spilled, file after file.
                if (_nextHeld < _held.Count)
                {
                    (_heldRechecks, _nextInHeld) = (_held[_nextHeld++].Rechecks, 0);
                    Candidate++;
                    continue;
                }

                if (_reader is not null && _candidatesLeft > 0)
                {
                    _candidatesLeft--;
                    _rechecksLeft = _reader.RecheckCount();
                    Candidate++;
                    continue;
                }

                if (_reader is not null)
                {
                    _reader.ExpectEnd();
                    _reader.Dispose();
                    _reader = null;
                }

                if (!_spilled.MoveNext())
                {
                    // Every candidate added, no more and no fewer: an index off by one would confirm the wrong finding.
                    return Candidate + 1 == _candidates
                        ? false
                        : throw new InvalidDataException($"The candidates' rechecks end after {Candidate + 1} candidates; {_candidates} were added.");
                }

                (var stream, _candidatesLeft) = _spilled.Current;
                _reader = new RecheckReader(stream);
            }
        }

        public void Dispose()
        {
            _reader?.Dispose();
            _spilled.Dispose();
        }

        private void Take(Recheck recheck)
        {
            (Kind, var key, Query) = recheck switch
            {
                Recheck.ObjectMissing missing => (RecheckKind.ObjectMissing, missing.Key, null),
                Recheck.ObjectPresent present => (RecheckKind.ObjectPresent, present.Key, (Recheck.Query?)null),
                Recheck.Query query => (RecheckKind.Query, null, query),
                _ => throw new InvalidOperationException($"Unknown recheck {recheck.GetType().Name}."),
            };
            _keyLength = 0;
            if (key is not null)
            {
                var length = Encoding.UTF8.GetByteCount(key);
                if (_key.Length < length)
                {
                    _key = new byte[Math.Max(length, 2 * _key.Length)];
                }

                _keyLength = Encoding.UTF8.GetBytes(key, _key);
            }
        }

        private void TakeSpilled(RecheckReader reader)
        {
            Kind = reader.ReadKind();
            if (Kind == RecheckKind.Query)
            {
                Query = reader.ReadQuery();
                _keyLength = 0;
            }
            else
            {
                Query = null;
                _keyLength = reader.ReadBytes(ref _key);
            }
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
    /// Every candidate's finding, a spilled one as it was written: its report sort key and the rest of it
    /// (<see cref="SpilledFindings.WriteRest"/>), each in arrays of its own (tests; confirmation reads them through
    /// <see cref="OpenFindingsAsync"/>, which lends them).
    /// </summary>
    public async IAsyncEnumerable<CandidateFinding> ReadSerializedFindingsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await OpenFindingsAsync();
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return cursor.Held is { } held ? new CandidateFinding(held, null) : new CandidateFinding(null, new SortRecord(cursor.SortKey.ToArray(), cursor.Rest.ToArray()));
        }
    }

    /// <summary>
    /// Every candidate's finding in the order added, one at a time (<see cref="FindingCursor"/>): a spilled one as its
    /// bytes, so accepting it needs no deserialization, no second serialization and no object
    /// (<see cref="ScanCollector.Accept(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>). Call after the last <see cref="Add(FindingDraft, Recheck[])"/>.
    /// </summary>
    public async Task<FindingCursor> OpenFindingsAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writing;
        return new FindingCursor(_held, SpilledBytes(rechecks: false).GetEnumerator());
    }

    /// <summary>
    /// The candidates' findings one at a time: a held one as it is (<see cref="Held"/>), a spilled one as its sort key and
    /// rest, read into buffers the cursor reuses (valid until the next <see cref="MoveNext"/>).
    /// </summary>
    public sealed class FindingCursor : IDisposable
    {
        private readonly List<(Finding Finding, Recheck[] Rechecks)> _held;
        private readonly IEnumerator<(Stream Stream, long Count)> _spilled;
        private int _nextHeld;
        private Stream? _stream;
        private ExternalSorter.RunReader? _reader;
        private long _left;
        private byte[] _key = new byte[1024];
        private byte[] _rest = new byte[256];
        private int _keyLength;
        private int _restLength;

        internal FindingCursor(List<(Finding Finding, Recheck[] Rechecks)> held, IEnumerator<(Stream Stream, long Count)> spilled)
        {
            _held = held;
            _spilled = spilled;
        }

        /// <summary>The finding, when it was held; null when it was spilled (then read <see cref="SortKey"/> and <see cref="Rest"/>).</summary>
        public Finding? Held { get; private set; }

        public ReadOnlySpan<byte> SortKey => _key.AsSpan(0, _keyLength);

        public ReadOnlySpan<byte> Rest => _rest.AsSpan(0, _restLength);

        public bool MoveNext()
        {
            if (_nextHeld < _held.Count)
            {
                Held = _held[_nextHeld++].Finding;
                return true;
            }

            Held = null;
            while (true)
            {
                if (_reader is not null && _left > 0)
                {
                    _left--;
                    _keyLength = _reader.ReadBytes(ref _key);
                    _restLength = _reader.ReadBytes(ref _rest);
                    return true;
                }

                if (_reader is not null && _stream!.ReadByte() >= 0)
                {
                    throw new InvalidDataException("A candidate spill file holds more findings than candidates.");
                }

                _reader?.Dispose();
                _reader = null;
                if (!_spilled.MoveNext())
                {
                    return false;
                }

                (_stream, _left) = _spilled.Current;
                _reader = new ExternalSorter.RunReader(_stream);
            }
        }

        public void Dispose()
        {
            _reader?.Dispose();
            _spilled.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;

        // Waits for a write in flight without throwing its failure (whoever added or read next was told); the files go
        // all the same.
        Task.WhenAny(_writing).GetAwaiter().GetResult();
        _ = _writing.Exception;
        if (_files is { } files)
        {
            files.Rechecks.Dispose();
            files.Findings.Dispose();
            _files = null;
        }

        _held.Clear();
        _filling.Reset();
        _spare.Reset();
    }

    // The spilled bytes of one kind, in order, each with how many candidates it holds: the files (when any chunk was
    // written), then the chunk still filling, read from memory.
    private IEnumerable<(Stream Stream, long Count)> SpilledBytes(bool rechecks)
    {
        if (_files is { } files)
        {
            using var stream = (rechecks ? files.Rechecks : files.Findings).OpenRead();
            yield return (stream, _inFiles);
        }

        if (_filling.Count > 0)
        {
            using var stream = _filling.Read(rechecks);
            yield return (stream, _filling.Count);
        }
    }

    // The filling chunk goes to the files' end on a thread of its own, and the spare one fills next. The write before
    // (the spare's bytes) must be done first (its failure is thrown here), so at most two chunks are held, a chunk's
    // bytes are not touched while they are written, and the files stay in order.
    private void WriteFilling()
    {
        _writing.GetAwaiter().GetResult();
        // Made before writing, so a failed write still leaves the files to Dispose.
        _files ??= (ScratchFile.Create("dbintegrity-rechecks"), ScratchFile.Create("dbintegrity-candidates"));
        var files = _files.Value;
        var (rechecks, findings) = _filling.Written();
        var (rechecksAt, findingsAt) = (_rechecksEnd, _findingsEnd);
        _rechecksEnd += rechecks.Length;
        _findingsEnd += findings.Length;
        _inFiles += _filling.Count;
        (_filling, _spare) = (_spare.Reset(), _filling);
        // Two positioned writes of about a chunk each: short work for a pool thread, not a thread of its own per chunk.
        _writing = Task.Run(() =>
        {
            files.Rechecks.WriteAt(rechecks.Span, rechecksAt);
            files.Findings.WriteAt(findings.Span, findingsAt);
        });
    }

    // One chunk of spilled candidates: the bytes of their rechecks and of their findings, and how many they are.
    private sealed class Chunk
    {
        private readonly MemoryStream _rechecks = new();
        private readonly MemoryStream _findings = new();

        public Chunk()
        {
            Rechecks = new BinaryWriter(_rechecks, Encoding.UTF8, leaveOpen: true);
            Findings = new BinaryWriter(_findings, Encoding.UTF8, leaveOpen: true);
        }

        public BinaryWriter Rechecks { get; }

        public BinaryWriter Findings { get; }

        public long Count { get; set; }

        public long Bytes => _rechecks.Length + _findings.Length;

        /// <summary>One candidate: its rechecks, then its finding as a sort record; all of it or, when writing fails part way, none.</summary>
        public void Append(Recheck[] rechecks, ReadOnlySpan<byte> sortKey, ReadOnlySpan<byte> rest)
        {
            var (rechecksLength, findingsLength) = (_rechecks.Length, _findings.Length);
            try
            {
                WriteRechecks(Rechecks, rechecks);
                ExternalSorter.Write(Findings, sortKey, rest);
                Count++;
            }
            catch
            {
                _rechecks.SetLength(rechecksLength);
                _findings.SetLength(findingsLength);
                throw;
            }
        }

        /// <summary>The bytes written so far, in the chunk's own buffers: valid until <see cref="Reset"/> or the next write.</summary>
        public (ReadOnlyMemory<byte> Rechecks, ReadOnlyMemory<byte> Findings) Written()
        {
            Rechecks.Flush();
            Findings.Flush();
            return (_rechecks.GetBuffer().AsMemory(0, checked((int)_rechecks.Length)), _findings.GetBuffer().AsMemory(0, checked((int)_findings.Length)));
        }

        /// <summary>The rechecks' or the findings' bytes written so far, to read (from memory: the last chunk is never written out).</summary>
        public Stream Read(bool rechecks)
        {
            var (writer, bytes) = rechecks ? (Rechecks, _rechecks) : (Findings, _findings);
            writer.Flush();
            return new MemoryStream(bytes.GetBuffer(), 0, checked((int)bytes.Length), writable: false);
        }

        /// <summary>Empty again, its buffers kept for the next turn.</summary>
        public Chunk Reset()
        {
            _rechecks.SetLength(0);
            _findings.SetLength(0);
            Count = 0;
            return this;
        }
    }

    // A candidate's rechecks as the rechecks file holds them: their number, then each as its kind and its text
    // (BinaryWriter's strings: a 7-bit encoded UTF-8 byte count, then the bytes), a query's parameters each after a
    // flag for text (true) or DBNull (false). RecheckReader reads them back. Binary, not JSON: a lost prefix reads
    // back a line per row, and reading the JSON back took about half of confirmation's samples in perf.
    private static void WriteRechecks(BinaryWriter writer, Recheck[] rechecks)
    {
        writer.Write7BitEncodedInt(rechecks.Length);
        foreach (var recheck in rechecks)
        {
            switch (recheck)
            {
                case Recheck.ObjectMissing missing:
                    writer.Write((byte)RecheckKind.ObjectMissing);
                    writer.Write(missing.Key);
                    break;
                case Recheck.ObjectPresent present:
                    writer.Write((byte)RecheckKind.ObjectPresent);
                    writer.Write(present.Key);
                    break;
                case Recheck.Query query:
                    writer.Write((byte)RecheckKind.Query);
                    writer.Write(query.Sql);
                    writer.Write7BitEncodedInt(query.Parameters.Count);
                    foreach (var parameter in query.Parameters)
                    {
                        // Add admits text and DBNull only.
                        writer.Write(parameter is string);
                        if (parameter is string text)
                        {
                            writer.Write(text);
                        }
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Unknown recheck {recheck.GetType().Name}.");
            }
        }
    }

    /// <summary>A recheck's kind, as the rechecks file holds it (<see cref="WriteRechecks"/>).</summary>
    public enum RecheckKind : byte
    {
        ObjectMissing = 1,
        ObjectPresent = 2,
        Query = 3,
    }

    /// <summary>
    /// Reads what <see cref="WriteRechecks"/> wrote, a recheck at a time (<see cref="RecheckCursor"/>): an object's key as
    /// its bytes, a query's texts decoded from one reused buffer. A query's SQL is one of the few texts rules write, so
    /// it is kept once and shared by every candidate that names it.
    /// </summary>
    private sealed class RecheckReader(Stream stream) : IDisposable
    {
        private const int SharedSqlLimit = 1024;
        private readonly BinaryReader _reader = new(stream, Encoding.UTF8);
        private readonly Dictionary<string, string> _sql = new(StringComparer.Ordinal);
        private byte[] _bytes = new byte[1024];
        private char[] _chars = new char[1024];

        /// <summary>How many rechecks the next candidate has (each is then read with <see cref="ReadKind"/> first).</summary>
        public int RecheckCount() => Count();

        public RecheckKind ReadKind() => (RecheckKind)_reader.ReadByte() switch
        {
            var kind and (RecheckKind.ObjectMissing or RecheckKind.ObjectPresent or RecheckKind.Query) => kind,
            var kind => throw new InvalidDataException($"A candidate spill file holds an unknown recheck kind {(byte)kind}."),
        };

        /// <summary>An object recheck's key as the UTF-8 bytes it was written as, into <paramref name="buffer"/> (grown when too small); their count.</summary>
        public int ReadBytes(ref byte[] buffer)
        {
            var length = Count();
            if (buffer.Length < length)
            {
                buffer = new byte[Math.Max(length, 2 * buffer.Length)];
            }

            _reader.BaseStream.ReadExactly(buffer, 0, length);
            return length;
        }

        /// <summary>Fails unless the file ends here: a file holding more than its candidates is not what was written.</summary>
        public void ExpectEnd()
        {
            if (_reader.BaseStream.ReadByte() >= 0)
            {
                throw new InvalidDataException("A candidate spill file holds more rechecks than candidates.");
            }
        }

        public Recheck.Query ReadQuery()
        {
            var sql = SharedSql();
            var parameters = new object[Count()];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] = _reader.ReadBoolean() ? Text() : DBNull.Value;
            }

            return new Recheck.Query(sql, parameters);
        }

        private string SharedSql()
        {
            var chars = Chars();
            var shared = _sql.GetAlternateLookup<ReadOnlySpan<char>>();
            if (shared.TryGetValue(chars, out var sql))
            {
                return sql;
            }

            sql = new string(chars);
            if (_sql.Count < SharedSqlLimit)
            {
                _sql[sql] = sql;
            }

            return sql;
        }

        private string Text() => new(Chars());

        // The next string, decoded into the reused character buffer (valid until the next call).
        private ReadOnlySpan<char> Chars()
        {
            var length = ReadBytes(ref _bytes);
            if (_chars.Length < length)
            {
                _chars = new char[_bytes.Length];
            }

            return _chars.AsSpan(0, Encoding.UTF8.GetChars(_bytes.AsSpan(0, length), _chars));
        }

        private int Count()
        {
            var count = _reader.Read7BitEncodedInt();
            return count >= 0 ? count : throw new InvalidDataException("A candidate spill file holds a negative length.");
        }

        public void Dispose() => _reader.Dispose();
    }
}

/// <summary>
/// A candidate's finding as confirmation reads it back: held in memory, or spilled, as its report sort key and the
/// rest of it (<see cref="CandidateSpill.ReadSerializedFindingsAsync"/>).
/// </summary>
internal readonly record struct CandidateFinding(Finding? Held, SortRecord? Spilled)
{
    /// <summary>The finding itself (a spilled one is deserialized for it).</summary>
    public Finding Finding => Held ?? SpilledFindings.Deserialize(Spilled!.Utf8Key, Spilled.Utf8Value);
}
