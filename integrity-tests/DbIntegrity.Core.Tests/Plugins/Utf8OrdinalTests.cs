using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Tests.Plugins;

public sealed class Utf8OrdinalTests
{
    [Test]
    public void Orders_like_UTF8_bytes_where_UTF16_ordinal_disagrees()
    {
        const string bmpHigh = "\uFF21"; // FULLWIDTH A, UTF-8 EF BC A1
        const string astral = "\U0001F600"; // UTF-8 F0 9F 98 80, UTF-16 D83D DE00

        Assert.Multiple(() =>
        {
            Assert.That(string.CompareOrdinal(astral, bmpHigh), Is.LessThan(0), "UTF-16 puts the surrogate pair first");
            Assert.That(Utf8Ordinal.Instance.Compare(bmpHigh, astral), Is.LessThan(0), "UTF-8 byte order puts it last");
        });
    }

    [Test]
    public void Orders_prefixes_first_and_ASCII_by_byte()
    {
        var keys = new[] { "plugin/b", "plugin/", "plugin/a:1", "plugin/a", "plugin/A", "plugin/_x" };

        Array.Sort(keys, Utf8Ordinal.Instance);

        Assert.That(keys, Is.EqualTo(new[] { "plugin/", "plugin/A", "plugin/_x", "plugin/a", "plugin/a:1", "plugin/b" }));
    }
}
