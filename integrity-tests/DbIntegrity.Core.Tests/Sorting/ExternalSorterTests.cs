using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Tests.Sorting;

public sealed class ExternalSorterTests
{
    [TestCase(1_000_000, TestName = "in memory when everything fits one run")]
    [TestCase(7, TestName = "spilled to several files and merged")]
    public async Task Sorted_returns_every_record_in_UTF8_byte_order(int runSize)
    {
        var keys = Enumerable.Range(0, 100).Select(i => $"{(i * 7919) % 100:D3}.svg").Append("\U0001F600.png").Append("\uFF21.png").ToList();
        await using var sorter = new ExternalSorter(runSize);
        foreach (var key in keys)
        {
            await sorter.AddAsync(new SortRecord(key, "ref-" + key), CancellationToken.None);
        }

        var sorted = new List<SortRecord>();
        await foreach (var record in sorter.SortedAsync(CancellationToken.None))
        {
            sorted.Add(record);
        }

        Assert.That(sorted.Select(r => r.Key), Is.EqualTo(keys.Order(Utf8Ordinal.Instance)));
        Assert.That(sorted.All(r => r.Value == "ref-" + r.Key), Is.True);
        Assert.That(sorter.Count, Is.EqualTo(keys.Count));
    }

    [TestCase(1000)]
    [TestCase(2)]
    public async Task Keys_sort_and_read_back_the_same_in_memory_and_from_runs(int runSize)
    {
        // A lone surrogate is encoded as U+FFFD; a record's Key is the text of the bytes it sorts by, held or spilled,
        // so the order a SortedSource checks and the groups equality makes agree with the sort. A pair sorts above U+FFFF.
        string[] keys = ["a\uD800", "a\uFFFF", "a\uFFFD", "a\uDC00", "a\U0001F600", "a\u00e9", "a", "b", "a\uFFFD"];
        await using var sorter = new ExternalSorter(runSize);
        foreach (var key in keys)
        {
            await sorter.AddAsync(new SortRecord(key, key), CancellationToken.None);
        }

        var sorted = new List<string>();
        await foreach (var record in sorter.SortedAsync(CancellationToken.None))
        {
            sorted.Add(record.Key);
        }

        Assert.That(sorted, Is.EqualTo(new[] { "a", "a\u00e9", "a\uFFFD", "a\uFFFD", "a\uFFFD", "a\uFFFD", "a\uFFFF", "a\U0001F600", "b" }));
    }

    [Test]
    public async Task Long_and_non_ASCII_values_come_back_from_spill_files_as_they_went_in()
    {
        // Spilled findings are kilobytes of JSON, read back as the bytes they were written as, each character's bytes
        // whole however long the value.
        var values = Enumerable.Range(0, 50).Select(i => string.Concat(Enumerable.Repeat($"{i}:é\U0001F600\u00e9-", i * 40)) + "\n\0end").ToList();
        await using var sorter = new ExternalSorter(runSize: 3);
        for (var i = 0; i < values.Count; i++)
        {
            await sorter.AddAsync(new SortRecord($"{(i * 37) % 50:D2}", values[i]), CancellationToken.None);
        }

        var sorted = new List<SortRecord>();
        await foreach (var record in sorter.SortedAsync(CancellationToken.None))
        {
            sorted.Add(record);
        }

        Assert.That(sorter.Runs, Is.GreaterThan(1), "the records were spilled");
        Assert.That(sorted.Select(r => r.Value), Is.EquivalentTo(values));
        Assert.That(sorted.All(r => r.Value == values[Enumerable.Range(0, 50).Single(i => $"{(i * 37) % 50:D2}" == r.Key)]), Is.True);
        Assert.That(values.Max(v => System.Text.Encoding.UTF8.GetByteCount(v)), Is.GreaterThan(8192));
    }

    [TestCase(3, TestName = "records located in spilled and open runs")]
    [TestCase(1000, TestName = "records located after the buffer spills once")]
    public async Task Taken_records_are_read_where_the_runs_hold_them_in_key_order(int runSize)
    {
        Assume.That(OperatingSystem.IsLinux(), "open handles are counted through /proc/self/fd");
        // Values of every length class of the 7-bit counts before them (1, 2, 3 and 4 bytes: the last over 2 MiB, also
        // more than the 64 KiB a skip reads at a time), so each offset counts them right; an empty value and an empty key.
        var values = Enumerable.Range(0, 60).Select(i => string.Concat(Enumerable.Repeat($"{i}\u00e9\U0001F600", i % 3 == 0 ? 1 : i % 3 == 1 ? 30 : 3000))).ToList();
        values[7] = string.Empty;
        values[11] = new string('v', (1 << 21) + 5);
        var keys = Enumerable.Range(0, 60).Select(i => $"{(i * 37) % 60:D2}").ToList();
        keys[13] = string.Empty;
        ReleaseUnreachableScratchFiles();
        var open = OpenScratchFiles("dbintegrity-sort-");
        var sorter = new ExternalSorter(runSize);
        // Interleaved ascending streams, then descending keys, so records go to open runs and to the buffer both.
        for (var i = 0; i < values.Count; i++)
        {
            await sorter.AddAsync(new SortRecord(keys[i], values[i]), CancellationToken.None);
        }

        using var records = sorter.TakeSorted(CancellationToken.None);
        await sorter.DisposeAsync();

        var read = Enumerable.Range(0, records.Count).Select(i =>
        {
            var buffer = new byte[records.LengthOf(i)];
            var (key, value) = records.Read(i, buffer);
            return (Key: System.Text.Encoding.UTF8.GetString(buffer[key]), Value: System.Text.Encoding.UTF8.GetString(buffer[value]));
        }).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(keys.Zip(values).OrderBy(kv => kv.First, StringComparer.Ordinal)));
            Assert.That(sorter.Count, Is.Zero, "the sorter holds nothing afterwards");
            Assert.That(OpenScratchFiles("dbintegrity-sort-"), Is.GreaterThan(open), "the runs outlive the sorter: the records took them");
            Assert.That(() => records.LengthOf(60), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });

        Assert.Multiple(() =>
        {
            // Taken once: the sorter takes no more records and has none to give.
            Assert.That(() => sorter.AddAsync(new SortRecord("k", "v"), CancellationToken.None), Throws.InvalidOperationException);
            Assert.That(() => sorter.TakeSorted(CancellationToken.None), Throws.InvalidOperationException);
            Assert.That(async () => await sorter.SortedAsync(CancellationToken.None).CountAsync(), Throws.InvalidOperationException);
        });

        records.Dispose();
        Assert.That(OpenScratchFiles("dbintegrity-sort-"), Is.EqualTo(open));
    }

    [TestCase(1_000_000, false, TestName = "lent bytes, in memory")]
    [TestCase(50, false, TestName = "lent bytes, shuffled, spilled")]
    [TestCase(50, true, TestName = "lent bytes, interleaved ordered streams, appended to runs")]
    public async Task Records_added_as_lent_bytes_come_back_whole_through_the_cursor(int runSize, bool streams)
    {
        // Every key and value goes through one buffer the caller overwrites at once: the sorter keeps its own copy of
        // what it buffers and of an open run's last key, or the order and the bytes would be the next record's.
        var keys = streams
            ? Enumerable.Range(0, 600).SelectMany(i => new[] { $"a-{i:D4}", $"b-{i:D4}é", $"c-{i:D4}😀" }).ToList()
            : [.. Enumerable.Range(0, 1_800).Select(i => $"{i * 7919 % 1_800:D4}-{new string('k', i % 300)}")];
        // Each key twice, the copies far apart (in other runs, or one in the buffer): a key's records come out together.
        keys = [.. keys, .. keys];
        await using var sorter = new ExternalSorter(runSize);
        var lent = new byte[4096];
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            // Half through each way in.
            if (i % 2 == 0)
            {
                var keyLength = System.Text.Encoding.UTF8.GetBytes(key, lent);
                var valueLength = System.Text.Encoding.UTF8.GetBytes("v:" + key, lent.AsSpan(keyLength));
                sorter.Add(lent.AsSpan(0, keyLength), lent.AsSpan(keyLength, valueLength), CancellationToken.None);
                lent.AsSpan().Fill(0xFF);
            }
            else
            {
                await sorter.AddAsync(new SortRecord(key, "v:" + key), CancellationToken.None);
            }
        }

        var read = new List<(string Key, string Value)>();
        using (var cursor = sorter.OpenSorted(CancellationToken.None))
        {
            while (cursor.MoveNext())
            {
                read.Add((System.Text.Encoding.UTF8.GetString(cursor.Key), System.Text.Encoding.UTF8.GetString(cursor.Value)));
            }
        }

        // Equal keys' records are alike here, so their order among themselves does not show; their being together does.
        var expected = keys.Order(Utf8Ordinal.Instance).Select(k => (k, "v:" + k)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(expected));
            Assert.That(sorter.Runs, runSize > keys.Count ? Is.Zero : Is.GreaterThan(1));
            // The cursor reads what SortedAsync does, and the sorter may be read again.
            Assert.That(sorter.SortedAsync(CancellationToken.None).ToBlockingEnumerable().Select(r => (r.Key, r.Value)).ToList(), Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task Interleaved_ordered_streams_become_one_run_each_after_the_first()
    {
        // A lost prefix's accepted findings: one per rule per identifier, each rule's in identifier order.
        var keys = Enumerable.Range(0, 3_000).SelectMany(i => new[] { $"a-{i:D5}", $"b-{i:D5}", $"c-{i:D5}" }).ToList();
        await using var sorter = new ExternalSorter(runSize: 100);

        var sorted = await SortAsync(sorter, keys);

        Assert.That(sorted, Is.EqualTo(keys.Order(Utf8Ordinal.Instance)));
        // The first 100 records are a buffered run; the rest go to three appended runs, not 89 more buffered ones.
        Assert.That(sorter.Runs, Is.EqualTo(4));
    }

    [TestCase(5, TestName = "more descending streams than open runs")]
    [TestCase(40, TestName = "many more descending streams than open runs")]
    public async Task Records_that_fit_no_open_run_are_buffered_and_still_sorted(int streams)
    {
        // Descending keys never extend a run: past ExternalSorter.MaxOpenRuns new runs, the buffer takes them.
        var keys = Enumerable.Range(0, 2_000).Reverse().SelectMany(i => Enumerable.Range(0, streams).Select(s => $"{s:D2}-{i:D5}")).ToList();
        await using var sorter = new ExternalSorter(runSize: 300);

        var sorted = await SortAsync(sorter, keys);

        Assert.That(sorted, Is.EqualTo(keys.Order(Utf8Ordinal.Instance)));
        Assert.That(sorter.Count, Is.EqualTo(keys.Count));
    }

    [Test]
    public async Task Random_keys_with_duplicates_come_back_complete_and_in_order()
    {
        var random = new Random(13);
        var keys = Enumerable.Range(0, 20_000).Select(_ => random.Next(0, 5_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await using var sorter = new ExternalSorter(runSize: 512);

        var sorted = await SortAsync(sorter, keys);

        Assert.That(sorted, Is.EqualTo(keys.Order(Utf8Ordinal.Instance)));
        // Enumerating twice reads the same runs again.
        Assert.That(await SortAsync(sorter, []), Is.EqualTo(sorted));
    }

    private static async Task<List<string>> SortAsync(ExternalSorter sorter, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            await sorter.AddAsync(new SortRecord(key, "v" + key), CancellationToken.None);
        }

        var sorted = new List<string>();
        await foreach (var record in sorter.SortedAsync(CancellationToken.None))
        {
            Assert.That(record.Value, Is.EqualTo("v" + record.Key));
            sorted.Add(record.Key);
        }

        return sorted;
    }

    [Test]
    public async Task Spill_files_have_no_name_while_in_use_and_close_on_dispose()
    {
        Assume.That(OperatingSystem.IsLinux(), "open handles are counted through /proc/self/fd");
        var named = Directory.GetFiles(Path.GetTempPath(), "dbintegrity-sort-*").Length;
        ReleaseUnreachableScratchFiles();
        var open = OpenScratchFiles("dbintegrity-sort-");
        var sorter = new ExternalSorter(runSize: 2);
        for (var i = 0; i < 10; i++)
        {
            var key = (9 - i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await sorter.AddAsync(new SortRecord(key, "v" + key), CancellationToken.None);
        }

        // Spilled (open, unlinked files hold the runs), yet nothing a killed process could leave behind has a name.
        Assert.That(OpenScratchFiles("dbintegrity-sort-"), Is.GreaterThan(open));
        Assert.That(Directory.GetFiles(Path.GetTempPath(), "dbintegrity-sort-*"), Has.Length.EqualTo(named));
        Assert.That(await SortAsync(sorter, []), Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        await sorter.DisposeAsync();

        Assert.That(OpenScratchFiles("dbintegrity-sort-"), Is.EqualTo(open));
    }

    [Test]
    public void A_record_whose_length_runs_past_32_bits_is_invalid_data()
    {
        // A key count of five bytes whose fifth has bits beyond 32 (it would wrap to 1), then a one-byte key and payload.
        using var run = ScratchFile.Create("dbintegrity-sort");
        byte[] record = [0x81, 0x80, 0x80, 0x80, 0x10, (byte)'k', 1, (byte)'v'];
        using (var stream = run.OpenWrite())
        {
            stream.Write(record);
        }

        var records = new SortedRecords([run], 1);
        records.Add(0, 0, record.Length);
        Assert.That(() => records.Read(0, new byte[record.Length]), Throws.InstanceOf<InvalidDataException>());
    }

    /// <summary>
    /// Closes the files of lists other tests left unreachable (a spilled report's runs close when it is collected), so
    /// that a collection during the test does not change the count it takes.
    /// </summary>
    internal static void ReleaseUnreachableScratchFiles()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Files of this process whose name starts with <paramref name="prefix"/>, deleted or not (Linux).</summary>
    internal static int OpenScratchFiles(string prefix) => new DirectoryInfo("/proc/self/fd").GetFileSystemInfos()
        .Count(fd => fd.LinkTarget is { } target && Path.GetFileName(target).StartsWith(prefix, StringComparison.Ordinal));
}
