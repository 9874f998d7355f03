using System.Runtime.CompilerServices;
using System.Text;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Sorting;

/// <summary>
/// Sorts records that arrive in no useful order (icon references found while reading declarations) by a string key in
/// UTF-8 byte order, in bounded memory: runs of <c>runSize</c> records are sorted in memory and spilled to temp files,
/// then merged. Memory stays at one run plus one record per spilled file, whatever the total.
/// </summary>
internal sealed class ExternalSorter : IAsyncDisposable
{
    private readonly int _runSize;
    private readonly List<string> _spills = [];
    private List<SortRecord> _buffer = [];

    public ExternalSorter(int runSize = 25_000)
    {
        _runSize = runSize;
    }

    public long Count { get; private set; }

    public Task AddAsync(SortRecord record, CancellationToken cancellationToken)
    {
        _buffer.Add(record);
        Count++;
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

    private static SortRecord? Read(BinaryReader reader) =>
        reader.BaseStream.Position < reader.BaseStream.Length ? new SortRecord(reader.ReadString(), reader.ReadString()) : null;
}
