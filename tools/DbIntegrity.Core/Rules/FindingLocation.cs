namespace DbIntegrity.Core.Rules;

/// <summary>Where a finding points: the row, identifier, object and tenant it is about (set what applies).</summary>
internal sealed record FindingLocation
{
    public string? Table { get; init; }

    public string? RowId { get; init; }

    public string? Identifier { get; init; }

    public string? ObjectKey { get; init; }

    public string? TenantId { get; init; }

    public string? PluginId { get; init; }

    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
