namespace DbIntegrity.Core.Wording;

/// <summary>
/// A setting the user gives a run, named by what it sets. Core writes it into a text as a placeholder
/// (<see cref="HostWords.Of(UserOption)"/>); the host that shows the text (the <c>dbintegrity</c> CLI) puts its own
/// name for the setting there (a flag), from one table. Environment variables are not options: they are the daemon's
/// names and Core names them itself.
/// </summary>
public enum UserOption
{
    /// <summary>The database as one connection string.</summary>
    DatabaseConnection,

    /// <summary>The bucket the daemon uses.</summary>
    Bucket,

    /// <summary>The S3 endpoint.</summary>
    S3Endpoint,

    /// <summary>The region the store signs for.</summary>
    Region,

    /// <summary>The root folder of local storage.</summary>
    LocalRoot,

    /// <summary>Download and open every referenced package.</summary>
    Deep,

    /// <summary>How long a scan may take.</summary>
    Timeout,

    /// <summary>How young a finding may be and still count as in flight.</summary>
    Grace,

    /// <summary>A backup that a repair plan may take copies from.</summary>
    FromBackup,

    /// <summary>Restore every object of a backup, not only those the daemon can use.</summary>
    RestoreAll,

    /// <summary>Do not record the gate's run.</summary>
    NoRecord,

    /// <summary>The migration a migrate run or the gate goes to.</summary>
    MigrationTarget,

    /// <summary>The report format; the text names the format right after the option.</summary>
    ReportFormat,

    /// <summary>The file a result is written to; the text may name the file right after the option.</summary>
    OutputFile,
}
