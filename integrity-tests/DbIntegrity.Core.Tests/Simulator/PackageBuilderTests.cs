using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Core.Tests.Simulator;

public sealed class PackageBuilderTests
{
    private static IEnumerable<PluginCategory> Categories => Enum.GetValues<PluginCategory>();

    [TestCaseSource(nameof(Categories))]
    public async Task Identifier_checksum_is_the_package_checksum_of_the_zip_bytes(PluginCategory category)
    {
        var package = Build(category);

        var checksum = await PackageChecksum.ComputeAsync(new MemoryStream(package.Bytes), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(package.Identifier.Checksum, Is.EqualTo(checksum));
            Assert.That(package.Identifier.Value, Is.EqualTo($"langgenius/demo:1.2.3@{checksum}"));
            Assert.That(PluginUniqueIdentifier.TryParse(package.Identifier.Value, out _), Is.True);
        });
    }

    [TestCaseSource(nameof(Categories))]
    public void Every_declaration_icon_is_an_asset_id_of_the_package(PluginCategory category)
    {
        var package = Build(category, iconDark: true);

        var declared = DeclarationReader.Read(package.Declaration).Declaration!.Assets;

        Assert.Multiple(() =>
        {
            Assert.That(declared, Is.Not.Empty);
            Assert.That(declared.Select(a => a.AssetId).Distinct(), Is.SubsetOf(package.Assets.Keys));
            Assert.That(package.Assets.Keys, Is.SubsetOf(declared.Select(a => a.AssetId)), "upload stores only icons the declaration names");
        });
    }

    [Test]
    public void Asset_ids_hash_the_icon_bytes_and_its_name_under_assets()
    {
        var icon = new PackageIcon("brand/logo.png", [1, 2, 3]);

        var package = PackageBuilder.Build(new PackageSpec("langgenius", "demo", "1.2.3", PluginCategory.Tool) { Icon = icon });

        var id = AssetId.Compute(icon.Content, "brand/logo.png");
        Assert.Multiple(() =>
        {
            Assert.That(id, Does.EndWith(".png"));
            Assert.That(package.Assets[id], Is.EqualTo(icon.Content));
            Assert.That(package.Entries, Does.Contain("_assets/brand/logo.png"));
            Assert.That(Declaration(package)["icon"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(Declaration(package)["tool"]!["identity"]!["icon"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(package.Manifest, Does.Contain("icon: brand/logo.png"), "the manifest in the zip still names the file");
        });
    }

    [Test]
    public void Model_icons_small_and_large_are_separate_assets()
    {
        var model = Declaration(Build(PluginCategory.Model))["model"]!;

        Assert.Multiple(() =>
        {
            Assert.That(model["provider"]!.GetValue<string>(), Is.EqualTo("demo"));
            Assert.That(model["icon_small"]!["en_US"]!.GetValue<string>(), Is.EqualTo(AssetId.Compute(Entry(Build(PluginCategory.Model), "_assets/icon_s_en.svg"), "icon_s_en.svg")));
            Assert.That(model["icon_large"]!["en_US"]!.GetValue<string>(), Is.Not.EqualTo(model["icon_small"]!["en_US"]!.GetValue<string>()));
        });
    }

    [Test]
    public void Zip_entries_are_sorted_by_path_and_hold_a_real_plugin_layout()
    {
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "demo", "1.2.3", PluginCategory.Tool)
        {
            WithEndpoints = true,
            TranslatedReadmes = new Dictionary<string, string> { ["zh_Hans"] = "# 示例\n", ["ja_JP"] = "# デモ\n" },
        });

        using var archive = new ZipArchive(new MemoryStream(package.Bytes), ZipArchiveMode.Read);
        var names = archive.Entries.Select(e => e.FullName).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(package.Entries));
            Assert.That(names, Is.Ordered.Using((IComparer<string>)Utf8Ordinal.Instance));
            Assert.That(names, Is.SupersetOf(new[]
            {
                "manifest.yaml", "_assets/icon.svg", "provider/demo.yaml", "tools/demo_search.yaml", "group/demo.yaml",
                "endpoints/demo.yaml", "main.py", "requirements.txt", "README.md", "readme/README_ja_JP.md", "readme/README_zh_Hans.md",
            }));
            Assert.That(Encoding.UTF8.GetString(Entry(package, "manifest.yaml")), Is.EqualTo(package.Manifest));
            Assert.That(package.Readmes.Keys, Is.EquivalentTo(new[] { "en_US", "zh_Hans", "ja_JP" }));
        });
    }

    [Test]
    public void The_same_spec_gives_the_same_bytes_and_identifier()
    {
        var first = Build(PluginCategory.Model);
        var second = Build(PluginCategory.Model);

        Assert.Multiple(() =>
        {
            Assert.That(second.Identifier, Is.EqualTo(first.Identifier));
            Assert.That(second.Bytes, Is.EqualTo(first.Bytes));
            Assert.That(second.Declaration, Is.EqualTo(first.Declaration));
        });
    }

    [Test]
    public void Another_version_or_icon_gives_another_checksum()
    {
        var baseline = Build(PluginCategory.Tool);
        var otherVersion = PackageBuilder.Build(new PackageSpec("langgenius", "demo", "1.2.4", PluginCategory.Tool));
        var otherIcon = PackageBuilder.Build(new PackageSpec("langgenius", "demo", "1.2.3", PluginCategory.Tool) { Icon = new PackageIcon("icon.svg", [9]) });

        Assert.Multiple(() =>
        {
            Assert.That(otherVersion.Identifier.Checksum, Is.Not.EqualTo(baseline.Identifier.Checksum));
            Assert.That(otherIcon.Identifier.Checksum, Is.Not.EqualTo(baseline.Identifier.Checksum));
        });
    }

    [Test]
    public void Declaration_copies_the_manifest_and_fills_the_category_block_in_go_field_order()
    {
        var declaration = Declaration(PackageBuilder.Build(new PackageSpec("langgenius", "demo", "1.2.3", PluginCategory.Tool) { WithEndpoints = true, Provider = "demo_provider" }));

        Assert.Multiple(() =>
        {
            Assert.That(declaration.Select(p => p.Key).Take(14), Is.EqualTo(new[]
            {
                "version", "type", "author", "name", "label", "description", "icon", "icon_dark", "resource", "plugins", "meta", "tags", "created_at", "verified",
            }));
            Assert.That(declaration["tool"]!["identity"]!["name"]!.GetValue<string>(), Is.EqualTo("demo_provider"));
            Assert.That(declaration["tool"]!["tools"]!.AsArray(), Has.Count.EqualTo(1), "the provider's tool files are expanded");
            Assert.That(declaration["endpoint"]!["endpoints"]![0]!["path"]!.GetValue<string>(), Is.EqualTo("/demo"));
            Assert.That(declaration["plugins"]!["tools"]![0]!.GetValue<string>(), Is.EqualTo("provider/demo_provider.yaml"));
            Assert.That(declaration["plugins"]!["models"], Is.Null);
        });
    }

    [TestCase("Demo", "1.2.3", PluginCategory.Tool, false, TestName = "Upper-case name is refused")]
    [TestCase("demo", "1.2", PluginCategory.Tool, false, TestName = "Two-part version is refused")]
    [TestCase("demo", "1.2.3.4", PluginCategory.Tool, false, TestName = "Four-part version is refused")]
    [TestCase("demo", "1.2.3", PluginCategory.Model, true, TestName = "Endpoints on a model plugin are refused")]
    public void Build_refuses_a_spec_the_daemon_would_refuse(string name, string version, PluginCategory category, bool endpoints)
    {
        var spec = new PackageSpec("langgenius", name, version, category) { WithEndpoints = endpoints };

        Assert.That(() => PackageBuilder.Build(spec), Throws.ArgumentException.With.Message.Contains("docs/daemon/"));
    }

    [Test]
    public void A_version_suffix_is_accepted()
    {
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "demo", "1.2.3-beta_1", PluginCategory.Tool));

        Assert.That(package.Identifier.Version, Is.EqualTo("1.2.3-beta_1"));
    }

    internal static DifyPackage Build(PluginCategory category, bool iconDark = false) =>
        PackageBuilder.Build(new PackageSpec("langgenius", "demo", "1.2.3", category)
        {
            IconDark = iconDark ? new PackageIcon("icon_dark.svg", "<svg>dark</svg>"u8.ToArray()) : null,
        });

    private static JsonObject Declaration(DifyPackage package) => JsonNode.Parse(package.Declaration)!.AsObject();

    private static byte[] Entry(DifyPackage package, string path)
    {
        using var archive = new ZipArchive(new MemoryStream(package.Bytes), ZipArchiveMode.Read);
        using var stream = archive.GetEntry(path)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
