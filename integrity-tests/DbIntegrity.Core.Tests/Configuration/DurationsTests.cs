using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Tests.Configuration;

public sealed class DurationsTests
{
    [TestCase("0", 0)]
    [TestCase("90s", 90)]
    [TestCase("5m", 300)]
    [TestCase("1h30m", 5400)]
    [TestCase("0.5s", 0.5)]
    [TestCase("500ms", 0.5)]
    [TestCase("2d", 172800)]
    public void Parse_reads_operator_durations(string text, double seconds)
    {
        Assert.That(Durations.Parse(text, "--grace").TotalSeconds, Is.EqualTo(seconds));
    }

    [TestCase("5")]
    [TestCase("five minutes")]
    [TestCase("5m junk")]
    [TestCase("")]
    public void Parse_rejects_anything_else_naming_the_option(string text)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Durations.Parse(text, "--grace"));
        Assert.That(ex!.Message, Does.StartWith("--grace"));
    }
}
