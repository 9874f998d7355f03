using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Candidate findings waiting for confirmation, in arrival order, in bounded memory: up to <c>bufferSize</c> are held
/// (and as many again while a full buffer is being written, on a thread of its own: <see cref="Spill"/>), the rest go to temp files (unnamed from the start, <see cref="ScratchFile"/>) that are read back in order. A lost prefix makes one candidate per row, so
/// holding them all would make memory grow with the damage (issue 13). Each spill writes two files, in step: the
/// rechecks (binary: WriteRechecks) and the findings (sort records: the report's sort key and the rest of the finding), because confirmation reads the rechecks alone first and the findings alone after, and
/// deserializing what a pass does not use was most of a wiped scan's confirmation time. Not thread-safe: the
/// collector locks.
/// </summary>
internal sealed class CandidateSpill : IDisposable
{
    private readonly int _bufferSize;
    private readonly List<(ScratchFile Rechecks, ScratchFile Findings, long Count)> _files = [];
    private List<(Finding Finding, Recheck[] Rechecks)> _buffer = [];
    private Task _writing = Task.CompletedTask;

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
        await _writing;
        foreach (var (file, _, count) in _files)
        {
            await using var stream = file.OpenRead();
            using var reader = new RecheckReader(stream);
            for (long i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return reader.Read();
            }

            reader.ExpectEnd();
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
    /// Every candidate's finding, a spilled one as it was written: its report sort key and the rest of it
    /// (<see cref="SpilledFindings.WriteRest"/>), so accepting it needs no deserialization and no second serialization
    /// (<see cref="ScanCollector.Accept(CandidateFinding)"/>).
    /// </summary>
    public async IAsyncEnumerable<CandidateFinding> ReadSerializedFindingsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _writing;
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

            if (stream.ReadByte() >= 0)
            {
                throw new InvalidDataException("A candidate spill file holds more findings than candidates.");
            }
        }

        foreach (var candidate in _buffer)
        {
            yield return new CandidateFinding(candidate.Finding, null);
        }
    }

    public void Dispose()
    {
        // Waits for a write in flight without throwing its failure (whoever added or read next was told); the files go
        // all the same.
        Task.WhenAny(_writing).GetAwaiter().GetResult();
        _ = _writing.Exception;

        foreach (var (rechecks, findings, _) in _files)
        {
            rechecks.Dispose();
            findings.Dispose();
        }

        _files.Clear();
        _buffer = [];
    }

    // A full buffer is written on a thread of its own while the next one fills: the caller is the identifier pass's
    // merge, the scan's critical path, and a lost prefix fills a buffer every few milliseconds. The write before must
    // be done first (its failure is thrown here), so at most two buffers are held and the files stay in order.
    private void Spill()
    {
        _writing.GetAwaiter().GetResult();
        // Listed before writing, so a failed write still leaves the files to Dispose.
        var files = (Rechecks: ScratchFile.Create("dbintegrity-rechecks"), Findings: ScratchFile.Create("dbintegrity-candidates"), Count: (long)_buffer.Count);
        _files.Add(files);
        var buffer = _buffer;
        _buffer = [];
        _writing = Task.Factory.StartNew(() => Write(files, buffer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static void Write((ScratchFile Rechecks, ScratchFile Findings, long Count) files, List<(Finding Finding, Recheck[] Rechecks)> buffer)
    {
        using var rechecks = new BinaryWriter(files.Rechecks.OpenWrite(), Encoding.UTF8);
        using var findings = new BinaryWriter(files.Findings.OpenWrite(), Encoding.UTF8);
        // A finding goes out as a sort record (ExternalSorter.Write): the key the report is sorted by, then the rest of
        // the finding (SpilledFindings.WriteRest) through one reused buffer. Accepting it later reads both as they are.
        var key = new ArrayBufferWriter<byte>(1024);
        var rest = new ArrayBufferWriter<byte>(256);
        foreach (var (finding, candidateRechecks) in buffer)
        {
            WriteRechecks(rechecks, candidateRechecks);
            key.ResetWrittenCount();
            SpilledFindings.WriteSortKey(finding, key);
            rest.ResetWrittenCount();
            SpilledFindings.WriteRest(finding, rest);
            ExternalSorter.Write(findings, key.WrittenSpan, rest.WrittenSpan);
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

    private enum RecheckKind : byte
    {
        ObjectMissing = 1,
        ObjectPresent = 2,
        Query = 3,
    }

    /// <summary>
    /// Reads what <see cref="WriteRechecks"/> wrote, each string decoded from one reused buffer. A query's SQL is one
    /// of the few texts rules write, so it is kept once and shared by every candidate that names it.
    /// </summary>
    private sealed class RecheckReader(Stream stream) : IDisposable
    {
        private const int SharedSqlLimit = 1024;
        private readonly BinaryReader _reader = new(stream, Encoding.UTF8);
        private readonly Dictionary<string, string> _sql = new(StringComparer.Ordinal);
        private byte[] _bytes = new byte[1024];
        private char[] _chars = new char[1024];

        public Recheck[] Read()
        {
            var rechecks = new Recheck[Count()];
            for (var i = 0; i < rechecks.Length; i++)
            {
                rechecks[i] = (RecheckKind)_reader.ReadByte() switch
                {
                    RecheckKind.ObjectMissing => new Recheck.ObjectMissing(Text()),
                    RecheckKind.ObjectPresent => new Recheck.ObjectPresent(Text()),
                    RecheckKind.Query => Query(),
                    var kind => throw new InvalidDataException($"A candidate spill file holds an unknown recheck kind {(byte)kind}."),
                };
            }

            return rechecks;
        }

        /// <summary>Fails unless the file ends here: a file holding more than its candidates is not what was written.</summary>
        public void ExpectEnd()
        {
            if (_reader.BaseStream.ReadByte() >= 0)
            {
                throw new InvalidDataException("A candidate spill file holds more rechecks than candidates.");
            }
        }

        private Recheck.Query Query()
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
            var length = Count();
            if (_bytes.Length < length)
            {
                _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
                _chars = new char[_bytes.Length];
            }

            _reader.BaseStream.ReadExactly(_bytes, 0, length);
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
