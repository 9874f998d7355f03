using System.Text.RegularExpressions;
using DbIntegrity.Core.Packages;

namespace DbIntegrity.Simulator.Packages;

/// <summary>
/// What <see cref="PackageBuilder"/> makes a <c>.difypkg</c> from. Everything not given is derived from the name, so
/// the same spec always gives the same package and the same identifier.
/// </summary>
/// <param name="Author">Manifest author, <c>^[a-z0-9_-]{1,64}$</c> (docs/daemon/identifiers.md).</param>
/// <param name="Name">Manifest name, <c>^[a-z0-9_-]{1,128}$</c>.</param>
/// <param name="Version">Manifest version, exactly <c>x.y.z</c> with an optional <c>-suffix</c>.</param>
/// <param name="Category">What the plugin provides; <see cref="PluginCategory.Extension"/> is endpoint-only.</param>
public sealed partial record PackageSpec(string Author, string Name, string Version, PluginCategory Category)
{
    /// <summary>The English label; defaults to the name in title case.</summary>
    public string? Label { get; init; }

    /// <summary>The English description; defaults to a sentence naming the plugin.</summary>
    public string? Description { get; init; }

    /// <summary>The provider name (<c>tool.identity.name</c>, <c>model.provider</c>, …); defaults to <see cref="Name"/>.</summary>
    public string? Provider { get; init; }

    /// <summary>The manifest icon; defaults to a small generated <c>icon.svg</c>.</summary>
    public PackageIcon? Icon { get; init; }

    /// <summary>An optional dark icon, also used as the provider's dark icon.</summary>
    public PackageIcon? IconDark { get; init; }

    /// <summary>Adds an endpoint group to a tool plugin. Extensions always have one; other categories may not (docs/daemon/database.md#invariants item 4).</summary>
    public bool WithEndpoints { get; init; }

    /// <summary>Translated readmes by language (<c>zh_Hans</c>, <c>ja_JP</c>…), written as <c>readme/README_&lt;lang&gt;.md</c>.</summary>
    public IReadOnlyDictionary<string, string> TranslatedReadmes { get; init; } = new Dictionary<string, string>();

    /// <summary>The manifest's <c>created_at</c>; fixed so that packages are reproducible.</summary>
    public DateTimeOffset CreatedAt { get; init; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal string LabelText => Label ?? string.Join(' ', Name.Split('_', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    internal string DescriptionText => Description ?? $"{LabelText} for Dify.";

    internal string ProviderName => Provider ?? Name;

    internal bool HasEndpoints => WithEndpoints || Category == PluginCategory.Extension;

    /// <summary>Fails with the rule that a field breaks, as the daemon's manifest validation would.</summary>
    internal void Validate()
    {
        Check(AuthorRegex().IsMatch(Author), nameof(Author), Author, "^[a-z0-9_-]{1,64}$");
        Check(NameRegex().IsMatch(Name), nameof(Name), Name, "^[a-z0-9_-]{1,128}$");
        Check(VersionRegex().IsMatch(Version), nameof(Version), Version, @"x.y.z (\d{1,4}(\.\d{1,4}){2}(-\w{1,16})?)");
        Check(ProviderRegex().IsMatch(ProviderName), nameof(Provider), ProviderName, "^[a-zA-Z0-9_-]+$");
        if (WithEndpoints && Category is not (PluginCategory.Tool or PluginCategory.Extension))
        {
            throw new ArgumentException($"A {Category} plugin cannot declare endpoints: the daemon's ManifestValidate allows endpoints only with tool or extension plugins (docs/daemon/database.md#invariants item 4).");
        }

        foreach (var language in TranslatedReadmes.Keys)
        {
            Check(ReadmeLanguageRegex().IsMatch(language), nameof(TranslatedReadmes), language, "ll_CC such as zh_Hans");
        }
    }

    private static void Check(bool valid, string field, string value, string rule)
    {
        if (!valid)
        {
            throw new ArgumentException($"PackageSpec.{field} \"{value}\" does not match {rule} (docs/daemon/identifiers.md).", field);
        }
    }

    [GeneratedRegex(@"\A[a-z0-9_-]{1,64}\z")]
    private static partial Regex AuthorRegex();

    [GeneratedRegex(@"\A[a-z0-9_-]{1,128}\z")]
    private static partial Regex NameRegex();

    // Go's \w is ASCII: [0-9A-Za-z_].
    [GeneratedRegex(@"\A[0-9]{1,4}(\.[0-9]{1,4}){2}(-[0-9A-Za-z_]{1,16})?\z")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"\A[a-zA-Z0-9_-]+\z")]
    private static partial Regex ProviderRegex();

    // docs/daemon/packages.md#container: readme/README_<ll_CC>.md.
    [GeneratedRegex(@"\A[a-z]{2}_[A-Za-z]{2,}\z")]
    private static partial Regex ReadmeLanguageRegex();
}
