using System.Security.Cryptography;
using System.Text;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Tests.Plugins;

public sealed class AssetIdTests
{
    [Test]
    public void Compute_hashes_content_then_file_name_and_keeps_the_extension()
    {
        var content = Encoding.UTF8.GetBytes("<svg/>");
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("<svg/>icon.svg"))) + ".svg";

        Assert.That(AssetId.Compute(content, "icon.svg"), Is.EqualTo(expected));
    }

    [TestCase("icon", "")]
    [TestCase("dark/icon.png", ".png")]
    [TestCase("v1.0/icon", "")]
    public void Compute_uses_the_extension_of_the_last_path_element(string fileName, string extension)
    {
        var id = AssetId.Compute("x"u8, fileName);

        Assert.That(id, Has.Length.EqualTo(64 + extension.Length));
        Assert.That(id, Does.EndWith(extension));
    }
}
