using System.Data.Common;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Where the identifier pass keeps each declaration's text from the moment its row is read until it is parsed: slices
/// of a few large arrays (slabs), each used again once every declaration in it is parsed. A <c>byte[]</c> per
/// declaration made a quarter of everything a scan allocated (222 MB at 10^5 declarations of 2.3 KB), and the ones
/// waiting for their page's parse were copied by every garbage collection that found them (docs/benchmarks.md).
/// <para>
/// One writer: rows are read one page after another (a cursor's FETCHes are chained, <see cref="PgCursor{T}"/>), so
/// <see cref="Copy"/> is never called twice at once. Any thread may <see cref="Release"/> a slice, once, after its
/// text is read.
/// </para>
/// <para>
/// Free slabs are kept for the life of the instance (one identifier pass), so their number settles at the most text
/// ever waiting to be parsed at once: about the pages read ahead (IdentifierPass sizes them for that). Kept fewer, they
/// were allocated again and again: with at most 16 free, a 10^5 scan allocated 120 MiB more.
/// </para>
/// </summary>
internal sealed class TextSlabs
{
    /// <summary>
    /// A slab's size: a few dozen declarations each. Below the large-object threshold (85,000 bytes), so a slab is
    /// promoted to gen2 with the pass's first collections and then only moved by a compacting gen2 one: 256 KiB slabs,
    /// allocated on the large-object heap, each counted towards a full collection, turned most of a scan's collections
    /// into gen2 ones.
    /// </summary>
    internal const int SlabSize = 64 * 1024;

    // Text longer than this gets an array of its own, dropped when it is released: a few of them must not make every
    // slab large.
    private const int LargestSlice = SlabSize / 4;

    private readonly Stack<Slab> _free = new();
    private Slab? _current;

    /// <summary>Slabs allocated so far (the tests' measure of reuse).</summary>
    public int Allocated { get; private set; }

    /// <summary>Copies column <paramref name="ordinal"/> of the current row (text or bytea, not NULL) into a slab.</summary>
    public Slice Copy(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var length = checked((int)reader.GetBytes(ordinal, 0, null, 0, 0));
        if (length > LargestSlice)
        {
            // Its own array, never written again: its one hold is the slice's.
            var own = new Slab(new byte[length], pooled: false);
            CopyInto(reader, ordinal, own.Bytes, 0, length);
            return new Slice(own, 0, length);
        }

        if (_current is null || _current.Used + length > _current.Bytes.Length)
        {
            Seal();
            _current = Take();
        }

        var slab = _current;
        var offset = slab.Used;
        CopyInto(reader, ordinal, slab.Bytes, offset, length);
        slab.Used += length;
        Interlocked.Increment(ref slab.Pending);
        return new Slice(slab, offset, length);
    }

    // The column's bytes at offset, however many calls GetBytes takes to give them.
    private static void CopyInto(DbDataReader reader, int ordinal, byte[] bytes, int offset, int length)
    {
        var copied = 0;
        while (copied < length)
        {
            var read = (int)reader.GetBytes(ordinal, copied, bytes, offset + copied, length - copied);
            if (read <= 0)
            {
                throw new InvalidOperationException($"The column gave {copied} of its {length} bytes.");
            }

            copied += read;
        }
    }

    // Stops writing to the current slab, so it is reused once its slices are released.
    private void Seal()
    {
        if (_current is { } sealing)
        {
            _current = null;
            Return(sealing);
        }
    }

    /// <summary>Gives a slice's bytes back: its slab is reused once all of its slices are given back and it is sealed.</summary>
    public void Release(Slice slice) => Return(slice.Slab);

    // One hold per slice, and one for the writer until the slab is sealed: the last to let go returns the slab.
    private void Return(Slab slab)
    {
        if (Interlocked.Decrement(ref slab.Pending) == 0 && slab.Pooled)
        {
            slab.Used = 0;
            slab.Pending = 1;
            lock (_free)
            {
                _free.Push(slab);
            }
        }
    }

    private Slab Take()
    {
        lock (_free)
        {
            if (_free.TryPop(out var slab))
            {
                return slab;
            }
        }

        Allocated++;
        return new Slab(new byte[SlabSize], pooled: true);
    }

    /// <summary>A slab: its bytes, how much is written, and how many holds are on it (its slices and the writer).</summary>
    internal sealed class Slab(byte[] bytes, bool pooled)
    {
        public readonly byte[] Bytes = bytes;
        public readonly bool Pooled = pooled;
        public int Used;
        public int Pending = 1;
    }

    /// <summary>A declaration's text in a slab, valid until it is released.</summary>
    internal readonly record struct Slice(Slab Slab, int Offset, int Length)
    {
        public ReadOnlyMemory<byte> Bytes => Slab.Bytes.AsMemory(Offset, Length);
    }
}
