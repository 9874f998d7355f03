using System.Data;
using System.Data.Common;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Tests.Scanning;

public sealed class TextSlabsTests
{
    [Test]
    public void Each_slice_holds_its_rows_bytes_until_it_is_released()
    {
        var texts = Enumerable.Range(0, 400).Select(n => Text(n, 100 + (n * 37 % 900))).ToList();
        var slabs = new TextSlabs();

        var slices = CopyAll(slabs, texts);

        Assert.Multiple(() =>
        {
            // Nothing released: every slice still holds what was copied, however many slabs that took.
            Assert.That(slices.Select(s => s.Bytes.ToArray()), Is.EqualTo(texts));
            Assert.That(slabs.Allocated, Is.GreaterThan(1), "400 texts of up to 1 KB do not fit one slab");
        });
    }

    [Test]
    public void Released_slabs_are_written_again_and_no_slice_in_use_is_overwritten()
    {
        var slabs = new TextSlabs();
        var pages = Enumerable.Range(0, 50).Select(page => Enumerable.Range(0, 200).Select(n => Text((page * 1000) + n, 700)).ToList()).ToList();

        // Read like the pass: a page is read while the one before it waits for its parse, then that one is released.
        List<TextSlabs.Slice>? waiting = null;
        List<byte[]>? waitingTexts = null;
        foreach (var texts in pages)
        {
            var slices = CopyAll(slabs, texts);
            if (waiting is not null)
            {
                Assert.That(waiting.Select(s => s.Bytes.ToArray()), Is.EqualTo(waitingTexts), "a page waiting for its parse is intact while the next is read");
                waiting.ForEach(slabs.Release);
            }

            waiting = slices;
            waitingTexts = texts;
        }

        Assert.Multiple(() =>
        {
            Assert.That(waiting!.Select(s => s.Bytes.ToArray()), Is.EqualTo(waitingTexts));
            // 50 pages of 140 KB: about three slabs a page; held at once, two pages and the slab being written.
            Assert.That(slabs.Allocated, Is.LessThanOrEqualTo(8), "slabs are reused, not allocated per page");
        });
    }

    [Test]
    public void Text_too_large_to_share_a_slab_gets_an_array_of_its_own()
    {
        var slabs = new TextSlabs();
        byte[][] texts = [Text(1, 100), Text(2, TextSlabs.SlabSize * 2), Text(3, 100)];

        var slices = CopyAll(slabs, texts);

        Assert.Multiple(() =>
        {
            Assert.That(slices.Select(s => s.Bytes.ToArray()), Is.EqualTo(texts));
            Assert.That(slices[1].Slab, Is.Not.SameAs(slices[0].Slab));
            Assert.That(slices[2].Slab, Is.SameAs(slices[0].Slab), "the small ones go on sharing the slab");
            Assert.That(slabs.Allocated, Is.EqualTo(1), "an array of its own is not a slab");
        });
    }

    [Test]
    public void Slices_released_on_many_threads_at_once_return_each_slab_once()
    {
        var slabs = new TextSlabs();
        for (var round = 0; round < 20; round++)
        {
            var texts = Enumerable.Range(0, 500).Select(n => Text((round * 1000) + n, 300 + (n % 7 * 50))).ToList();
            var slices = CopyAll(slabs, texts);
            var intact = new bool[slices.Count];
            Parallel.For(0, slices.Count, i =>
            {
                intact[i] = slices[i].Bytes.Span.SequenceEqual(texts[i]);
                slabs.Release(slices[i]);
            });

            Assert.That(intact, Is.All.True, $"round {round}: a slab went back twice and was written while in use");
        }

        // A slab returned twice would be handed out twice and two pages would share it: more copies, not fewer slabs;
        // the test above catches that. Here: 20 rounds of about 200 KB reuse the same few slabs.
        Assert.That(slabs.Allocated, Is.LessThanOrEqualTo(6));
    }

    [Test]
    public async Task Pages_copied_while_earlier_pages_are_read_and_released_on_other_threads_stay_intact()
    {
        // The pass's pattern: one writer copies a page while up to two pages before it are parsed and released in
        // parallel, so copies, reuse and releases interleave.
        var slabs = new TextSlabs();
        var corrupt = 0;
        var parsing = new List<Task>();
        for (var page = 0; page < 200; page++)
        {
            var first = page * 1000;
            var texts = Enumerable.Range(0, 100).Select(n => Text(first + n, 200 + (n * 13 % 700))).ToList();
            var slices = CopyAll(slabs, texts);
            parsing.Add(Task.Run(() => Parallel.For(0, slices.Count, i =>
            {
                if (!slices[i].Bytes.Span.SequenceEqual(texts[i]))
                {
                    Interlocked.Increment(ref corrupt);
                }

                slabs.Release(slices[i]);
            })));
            if (parsing.Count > 2)
            {
                await parsing[^3];
            }
        }

        await Task.WhenAll(parsing);
        Assert.Multiple(() =>
        {
            Assert.That(corrupt, Is.Zero, "a slab was written again while a text in it was still to be read");
            // At most three pages of about 55 KB in flight: a handful of 64 KiB slabs, not one per page.
            Assert.That(slabs.Allocated, Is.LessThanOrEqualTo(10));
        });
    }

    private static List<TextSlabs.Slice> CopyAll(TextSlabs slabs, IReadOnlyList<byte[]> texts)
    {
        using var table = new DataTable();
        table.Columns.Add("declaration", typeof(byte[]));
        foreach (var text in texts)
        {
            table.Rows.Add(text);
        }

        using DbDataReader reader = table.CreateDataReader();
        var slices = new List<TextSlabs.Slice>();
        while (reader.Read())
        {
            slices.Add(slabs.Copy(reader, 0));
        }

        return slices;
    }

    // Distinct bytes per text, so a slice read from the wrong place or overwritten shows.
    private static byte[] Text(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
