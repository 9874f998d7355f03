using System.IO.Compression;
using System.Text;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Tests.Simulator;

namespace DbIntegrity.Core.Tests.Packages;

public sealed class PackageManifestReaderTests
{
    private static IEnumerable<PluginCategory> Categories => Enum.GetValues<PluginCategory>();

    [TestCaseSource(nameof(Categories))]
    public async Task Reads_the_manifest_of_a_built_package(PluginCategory category)
    {
        var package = PackageBuilderTests.Build(category);

        var result = await PackageManifestReader.ReadAsync(package.Bytes, CancellationToken.None);

        Assert.That(result.IsReadable, Is.True, result.Error);
        Assert.That(result.Manifest, Is.EqualTo(new PackageManifest("langgenius", "demo", "1.2.3", "plugin")));
        Assert.That(result.Manifest!.PluginId, Is.EqualTo(package.PluginId));
    }

    [Test]
    public async Task Reads_from_a_stream_that_cannot_seek()
    {
        var package = PackageBuilderTests.Build(PluginCategory.Tool);

        var result = await PackageManifestReader.ReadAsync(new ForwardOnlyStream(package.Bytes), CancellationToken.None);

        Assert.That(result.Manifest?.Name, Is.EqualTo("demo"), result.Error);
    }

    [Test]
    public async Task Bytes_that_are_not_a_zip_are_reported_as_such()
    {
        var result = await PackageManifestReader.ReadAsync("this is not a difypkg"u8.ToArray(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsReadable, Is.False);
            Assert.That(result.Problem, Is.EqualTo(ManifestProblem.NotAZip));
            Assert.That(result.Error, Does.StartWith("the package is not a readable zip"));
        });
    }

    [Test]
    public async Task A_truncated_zip_is_not_a_zip()
    {
        var bytes = PackageBuilderTests.Build(PluginCategory.Tool).Bytes;

        var result = await PackageManifestReader.ReadAsync(bytes[..(bytes.Length / 2)], CancellationToken.None);

        Assert.That(result.Problem, Is.EqualTo(ManifestProblem.NotAZip));
    }

    [Test]
    public async Task A_zip_without_manifest_yaml_at_its_root_has_no_manifest()
    {
        var zip = Zip(("plugin/manifest.yaml", "name: x\n"), ("README.md", "# x\n"));

        var result = await PackageManifestReader.ReadAsync(zip, CancellationToken.None);

        Assert.That(result.Problem, Is.EqualTo(ManifestProblem.NoManifest));
    }

    [TestCase("name: [unclosed\n", ManifestProblem.InvalidYaml, "not valid YAML")]
    [TestCase("- just\n- a list\n", ManifestProblem.InvalidYaml, "not a YAML mapping")]
    [TestCase("", ManifestProblem.InvalidYaml, "not a YAML mapping")]
    [TestCase("name: a\nname: b\n", ManifestProblem.InvalidYaml, "not valid YAML")]
    [TestCase("type: plugin\nauthor: a\nname: n\n", ManifestProblem.MissingField, "has no version")]
    [TestCase("type: plugin\nauthor: a\nname: n\nversion:\n", ManifestProblem.MissingField, "version is empty")]
    [TestCase("type: plugin\nauthor: a\nname: {x: 1}\nversion: 1.0.0\n", ManifestProblem.MissingField, "name is not a plain value")]
    public async Task A_manifest_that_cannot_be_read_says_why(string manifest, ManifestProblem problem, string expected)
    {
        var result = await PackageManifestReader.ReadAsync(Zip(("manifest.yaml", manifest)), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Problem, Is.EqualTo(problem));
            Assert.That(result.Error, Does.Contain(expected));
        });
    }

    [Test]
    public async Task A_missing_or_null_author_reads_as_empty()
    {
        var result = await PackageManifestReader.ReadAsync(Zip(("manifest.yaml", "version: 0.0.1\ntype: plugin\nauthor: null\nname: n\n")), CancellationToken.None);

        Assert.That(result.Manifest, Is.EqualTo(new PackageManifest(string.Empty, "n", "0.0.1", "plugin")));
    }

    private static byte[] Zip(params (string Path, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = archive.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Like an S3 response stream: read once, no seeking, no length.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
