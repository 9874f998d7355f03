namespace DbIntegrity.Core.History;

/// <summary>One row of <c>dbintegrity_check_runs</c>: a serve scan or a gate run, with its report as stored (JSON).</summary>
internal sealed record CheckRun(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Command,
    string Outcome,
    int? Errors,
    int? Warnings,
    long? SchemaVersion,
    string Report);
