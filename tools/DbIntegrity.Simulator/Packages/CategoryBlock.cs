using System.Text.Json.Nodes;

namespace DbIntegrity.Simulator.Packages;

/// <summary>
/// One declaration block a package contributes (<c>tool</c>, <c>model</c>, …, <c>endpoint</c>), in the form the
/// daemon's decoder gives it (docs/daemon/packages.md#declaration): provider YAML with its listed files expanded, icons still file names.
/// </summary>
/// <param name="DeclarationKey">The declaration key: <c>tool</c>, <c>model</c>, <c>agent_strategy</c>, <c>datasource</c>, <c>trigger</c> or <c>endpoint</c>.</param>
/// <param name="ManifestListKey">The manifest's <c>plugins</c> list naming <paramref name="ProviderFile"/>.</param>
/// <param name="ProviderFile">The provider (or endpoint group) YAML's path in the package.</param>
/// <param name="Declaration">The block as the decoder builds it, in Go field order.</param>
internal sealed record CategoryBlock(string DeclarationKey, string ManifestListKey, string ProviderFile, JsonObject Declaration);
