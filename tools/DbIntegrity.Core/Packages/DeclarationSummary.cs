namespace DbIntegrity.Core.Packages;

/// <summary>What a checker needs from a stored declaration (docs/daemon/database.md#tables, docs/daemon/database.md#invariants, docs/daemon/packages.md#declaration).</summary>
/// <param name="Author">The manifest author; empty when the plugin has none.</param>
/// <param name="Name">The manifest name.</param>
/// <param name="Version">The manifest version.</param>
/// <param name="Category">As the daemon's <c>PluginDeclaration.Category()</c> derives it.</param>
/// <param name="Provider">
/// The category table's <c>provider</c> value (<c>tool.identity.name</c>, <c>model.provider</c>, …), or null when the
/// declaration has no category block: then <c>InstallPlugin</c> writes no category row (extensions).
/// </param>
/// <param name="Assets">Every non-empty icon field, in the order of docs/daemon/packages.md#declaration; the same id may appear more than once.</param>
/// <param name="HasEndpoints">Whether the declaration has an <c>endpoint</c> block.</param>
public sealed record DeclarationSummary(
    string Author,
    string Name,
    string Version,
    PluginCategory Category,
    string? Provider,
    IReadOnlyList<DeclaredAsset> Assets,
    bool HasEndpoints)
{
    /// <summary><c>author/name</c>, or the name alone when there is no author.</summary>
    public string PluginId => Author.Length == 0 ? Name : $"{Author}/{Name}";

    /// <summary>The distinct asset ids, in first-seen order.</summary>
    public IEnumerable<string> AssetIds => Assets.Select(a => a.AssetId).Distinct(StringComparer.Ordinal);
}
