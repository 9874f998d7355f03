using DbIntegrity.Core.Wording;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>
/// The CLI's words for Core's placeholders, in one table: each <see cref="NextStep"/> is the command line that does it,
/// each <see cref="UserOption"/> the flag that sets it. Every text from Core passes <see cref="Fill"/> (with the secret
/// redactor, in <see cref="CliContext.Present"/>) before it reaches the terminal, a report file or the serve page.
/// </summary>
internal static class CommandWords
{
    public static string For(NextStep step) => step switch
    {
        NextStep.MakeRepairPlan => "dbintegrity repair plan",
        NextStep.WriteRepairPlan => "dbintegrity repair plan -o",
        NextStep.ApplyRepairPlan => "dbintegrity repair apply",
        NextStep.WriteBaseline => "dbintegrity check --write-baseline",
        NextStep.BaselineDatabase => "dbintegrity migrate baseline",
        NextStep.ShowMigrationStatus => "dbintegrity migrate status",
        NextStep.MigrateUp => "dbintegrity migrate up",
        NextStep.MigrateUpGated => "dbintegrity migrate up --gate",
        NextStep.PreviewMigrateUp => "dbintegrity migrate up --preview",
        NextStep.PreviewMigrateDown => "dbintegrity migrate down --preview",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "The CLI has no command for this step."),
    };

    public static string For(UserOption option) => option switch
    {
        UserOption.DatabaseConnection => "--db",
        UserOption.Bucket => "--bucket",
        UserOption.S3Endpoint => "--s3-endpoint",
        UserOption.Region => "--region",
        UserOption.LocalRoot => "--local-root",
        UserOption.Deep => "--deep",
        UserOption.Timeout => "--timeout",
        UserOption.Grace => "--grace",
        UserOption.FromBackup => "--from-backup",
        UserOption.RestoreAll => "--all",
        UserOption.NoRecord => "--no-record",
        UserOption.MigrationTarget => "--to",
        UserOption.ReportFormat => "--format",
        UserOption.OutputFile => "-o",
        _ => throw new ArgumentOutOfRangeException(nameof(option), option, "The CLI has no flag for this option."),
    };

    /// <summary>Core's text with the CLI's words in place of its placeholders.</summary>
    public static string Fill(string text) => HostWords.Fill(text, For, For);
}
