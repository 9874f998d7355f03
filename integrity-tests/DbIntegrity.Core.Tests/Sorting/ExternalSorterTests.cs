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

    [Test]
    public async Task Dispose_removes_the_spill_files()
    {
        var before = Directory.GetFiles(Path.GetTempPath(), "dbintegrity-sort-*").Length;
        var sorter = new ExternalSorter(runSize: 2);
        for (var i = 0; i < 10; i++)
        {
            await sorter.AddAsync(new SortRecord(i.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Empty), CancellationToken.None);
        }

        Assert.That(Directory.GetFiles(Path.GetTempPath(), "dbintegrity-sort-*"), Has.Length.GreaterThan(before));
        await sorter.DisposeAsync();

        Assert.That(Directory.GetFiles(Path.GetTempPath(), "dbintegrity-sort-*"), Has.Length.EqualTo(before));
    }
}
