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

    [Test]
    public void Agrees_with_comparing_the_UTF8_bytes_on_keys_with_long_shared_prefixes()
    {
        var random = new Random(20261203);
        string[] alphabet = ["a", "b", "z", "_", "/", ":", "\0", "\uFF21", "\uE000", "\U0001F600", "\U00010000", "é"];
        string Key() => "langgenius/plugin_" + string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]));

        for (var n = 0; n < 20_000; n++)
        {
            var x = Key();
            var y = random.Next(3) == 0 ? x + Key()[..random.Next(1, 12)] : Key();
            var expected = Math.Sign(System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y)));

            Assert.That(Math.Sign(Utf8Ordinal.Instance.Compare(x, y)), Is.EqualTo(expected), $"{x} vs {y}");
        }
    }
}
