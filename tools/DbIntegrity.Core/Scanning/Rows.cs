using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// A <c>plugins</c> row as the identifier merge reads it. <see cref="RemoteDeclaration"/> is read for remote (debug)
/// plugins only, whose declaration lives in <c>remote_declaration</c> (docs/daemon/database.md#tables, docs/daemon/database.md#invariants item 3).
/// </summary>
internal sealed record PluginRow(string Id, string Identifier, string? PluginId, string? InstallType, long Refers, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    public DeclarationReadResult? RemoteDeclaration { get; init; }

    public DateTimeOffset? Newest => Max(CreatedAt, UpdatedAt);

    internal static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}

/// <summary>A <c>plugin_declarations</c> row as the identifier merge reads it, with what its JSON says (parsed once, the text dropped).</summary>
internal sealed record DeclarationRow(string Id, string Identifier, string? PluginId, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    public DeclarationReadResult? Content { get; init; }

    public DateTimeOffset? Newest => PluginRow.Max(CreatedAt, UpdatedAt);
}
