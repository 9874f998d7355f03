using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Rules;

/// <summary>A <c>plugin_declarations</c> row as the identifier merge reads it, with what its JSON says (parsed once, the text dropped).</summary>
public sealed record DeclarationRow(string Id, string Identifier, string? PluginId, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    public DeclarationReadResult? Content { get; init; }

    public DateTimeOffset? Newest => PluginRow.Max(CreatedAt, UpdatedAt);
}
