namespace DbIntegrity.Core.Rules;

/// <summary>
/// A finding as a rule reports it, before anything is made of it: its fields, with the message as characters that may
/// live in a rented buffer (<see cref="FindingMessage"/>). A candidate beyond the collector's buffer is written out as
/// bytes straight from this (SpilledFindings), so a lost prefix, a finding per row, makes no message string per row
/// while the scan runs (the report makes each when it lists the finding)
/// (issue 13: the messages were a third of what a wiped scan allocated). <see cref="ToFinding"/> makes the finding
/// where one is kept; a draft of a <see cref="Finding"/> gives that finding back.
/// </summary>
internal readonly ref struct FindingDraft
{
    private readonly Finding? _finding;

    public FindingDraft(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        _finding = finding;
        (Rule, Severity) = (finding.Rule, finding.Severity);
        Message = finding.Message;
        (Table, RowId, Identifier, ObjectKey, TenantId, PluginId, Details) =
            (finding.Table, finding.RowId, finding.Identifier, finding.ObjectKey, finding.TenantId, finding.PluginId, finding.Details);
    }

    /// <summary>A draft whose message is <paramref name="message"/>'s characters, valid as long as they are.</summary>
    public FindingDraft(string rule, Severity severity, FindingLocation location, ReadOnlySpan<char> message)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(location);
        (Rule, Severity) = (rule, severity);
        Message = message;
        (Table, RowId, Identifier, ObjectKey, TenantId, PluginId, Details) =
            (location.Table, location.RowId, location.Identifier, location.ObjectKey, location.TenantId, location.PluginId, location.Details);
    }

    public string Rule { get; }

    public Severity Severity { get; }

    public ReadOnlySpan<char> Message { get; }

    public string? Table { get; }

    public string? RowId { get; }

    public string? Identifier { get; }

    public string? ObjectKey { get; }

    public string? TenantId { get; }

    public string? PluginId { get; }

    public IReadOnlyDictionary<string, string>? Details { get; }

    /// <summary>The finding: the one this draft was made from, or a new one with the message made a string.</summary>
    public Finding ToFinding() => _finding ?? new Finding
    {
        Rule = Rule,
        Severity = Severity,
        Message = new string(Message),
        Table = Table,
        RowId = RowId,
        Identifier = Identifier,
        ObjectKey = ObjectKey,
        TenantId = TenantId,
        PluginId = PluginId,
        Details = Details,
    };
}
