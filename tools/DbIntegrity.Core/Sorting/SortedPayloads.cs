namespace DbIntegrity.Core.Sorting;

/// <summary>
/// The payloads of sorted records where the sort's run files hold them (<see cref="ExternalSorter.TakeSortedPayloads"/>):
/// the files, and for each record in key order, its run, offset and length (12 bytes a record). Reads one payload at a
/// time, by its place in the order. Owns the files: disposing closes them, and an unreachable one's handles close when
/// collected (the files have no name from the start: <see cref="ScratchFile"/>).
/// </summary>
internal sealed class SortedPayloads : IDisposable
{
    // Run and offset in one value: the run in the top 16 bits, the offset below (runs stay far below 256 TiB).
    private const int RunShift = 48;
    private readonly long[] _locations;
    private readonly int[] _lengths;

    public SortedPayloads(ScratchFile[] runs, int count)
    {
        if (runs.Length > 1 << (63 - RunShift))
        {
            throw new InvalidOperationException($"{runs.Length} sort runs are more than one list can locate.");
        }

        Runs = runs;
        _locations = new long[count];
        _lengths = new int[count];
    }

    public IReadOnlyList<ScratchFile> Runs { get; }

    /// <summary>How many payloads were located (all of them once the sorter has handed the list over).</summary>
    public int Count { get; private set; }

    /// <summary>The length of the payload at <paramref name="index"/> in key order.</summary>
    public int LengthOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _lengths[index];
    }

    /// <summary>Reads the payload at <paramref name="index"/> into the start of <paramref name="buffer"/>; its bytes.</summary>
    public Span<byte> Read(int index, Span<byte> buffer)
    {
        var payload = buffer[..LengthOf(index)];
        var run = Runs[(int)(_locations[index] >> RunShift)];
        var offset = _locations[index] & ((1L << RunShift) - 1);
        for (var read = 0; read < payload.Length;)
        {
            var n = run.ReadAt(payload[read..], offset + read);
            if (n == 0)
            {
                throw new IOException("A sort run ended before a payload it holds.");
            }

            read += n;
        }

        return payload;
    }

    internal void Add(int run, long offset, int length)
    {
        if (offset >= 1L << RunShift)
        {
            throw new InvalidOperationException("A sort run is larger than one list can locate.");
        }

        _locations[Count] = ((long)run << RunShift) | offset;
        _lengths[Count] = length;
        Count++;
    }

    public void Dispose()
    {
        foreach (var run in Runs)
        {
            run.Dispose();
        }
    }
}
