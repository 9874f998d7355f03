using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A <c>plugins</c> row as the identifier merge reads it. <see cref="RemoteDeclaration"/> is read for remote (debug)
/// plugins only, whose declaration lives in <c>remote_declaration</c> (docs/daemon/database.md#tables, docs/daemon/database.md#invariants item 3).
/// </summary>
public sealed record PluginRow(string Id, string Identifier, string? PluginId, string? InstallType, long Refers, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    public DeclarationReadResult? RemoteDeclaration { get; init; }

    public DateTimeOffset? Newest => Max(CreatedAt, UpdatedAt);

    internal static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
