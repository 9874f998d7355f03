namespace DbIntegrity.Core.Reporting;

/// <summary>The output formats of check and gate.</summary>
public enum ReportFormat
{
    Table,
    Json,
    Junit,
    Markdown,

    /// <summary>OpenMetrics text (check only): the textfile collector or a Pushgateway.</summary>
    Prometheus,
}
