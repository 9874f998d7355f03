using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Tests.Plugins;

public sealed class PackageChecksumTests
{
    private static readonly Dictionary<string, byte[]> Files = new(StringComparer.Ordinal)
    {
        ["manifest.yaml"] = Encoding.UTF8.GetBytes("name: openai\n"),
        ["_assets/icon.svg"] = Encoding.UTF8.GetBytes("<svg/>"),
        ["README.md"] = Encoding.UTF8.GetBytes("# OpenAI\n"),
    };

    [Test]
    public void Compute_follows_the_daemon_algorithm()
    {
        // docs/daemon/packages.md#checksum spelled out by hand: paths in byte order ("README.md" < "_assets/…" < "manifest.yaml"),
        // SHA256(path) ‖ SHA256(content) for each, SHA256 of the whole, lowercase hex.
        var expected = new List<byte>();
        foreach (var path in new[] { "README.md", "_assets/icon.svg", "manifest.yaml" })
        {
            expected.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes(path)));
            expected.AddRange(SHA256.HashData(Files[path]));
        }

        var checksum = PackageChecksum.Compute(Files);

        Assert.That(checksum, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(expected.ToArray()))));
        Assert.That(checksum, Has.Length.EqualTo(64));
    }

    [Test]
    public async Task ComputeAsync_on_a_zip_equals_Compute_on_its_files_whatever_the_entry_order_or_comment()
    {
        var forward = Zip(Files, comment: null, reverse: false);
        var backward = Zip(Files, comment: "{\"signature\":\"abc\",\"time\":1}", reverse: true);

        var fromForward = await PackageChecksum.ComputeAsync(new MemoryStream(forward), CancellationToken.None);
        var fromBackward = await PackageChecksum.ComputeAsync(new MemoryStream(backward), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(fromForward, Is.EqualTo(PackageChecksum.Compute(Files)));
            Assert.That(fromBackward, Is.EqualTo(fromForward), "the zip comment (signature) and the entry order do not count");
            Assert.That(fromForward, Is.Not.EqualTo(Convert.ToHexStringLower(SHA256.HashData(forward))), "it is not the hash of the bytes");
        });
    }

    [Test]
    public void Compute_changes_when_a_file_is_added()
    {
        var withVerification = new Dictionary<string, byte[]>(Files) { [".verification.dify.json"] = Encoding.UTF8.GetBytes("{}") };

        Assert.That(PackageChecksum.Compute(withVerification), Is.Not.EqualTo(PackageChecksum.Compute(Files)));
    }

    [Test]
    public void ComputeAsync_rejects_bytes_that_are_not_a_zip()
    {
        Assert.ThrowsAsync<InvalidDataException>(() => PackageChecksum.ComputeAsync(new MemoryStream("not a zip"u8.ToArray()), CancellationToken.None));
    }

    private static byte[] Zip(Dictionary<string, byte[]> files, string? comment, bool reverse)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var paths = reverse ? files.Keys.Reverse() : files.Keys;
            foreach (var path in paths)
            {
                using var entry = archive.CreateEntry(path).Open();
                entry.Write(files[path]);
            }

            if (comment is not null)
            {
                archive.Comment = comment;
            }
        }

        return buffer.ToArray();
    }
}
