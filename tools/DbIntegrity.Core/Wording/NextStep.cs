namespace DbIntegrity.Core.Wording;

/// <summary>
/// What the user can do next, named by the action. Core writes it into a text as a placeholder
/// (<see cref="HostWords.Of(NextStep)"/>); the host that shows the text (the <c>dbintegrity</c> CLI) puts its own words
/// for the action there, from one table. Core never names a command itself.
/// </summary>
public enum NextStep
{
    /// <summary>Check, then propose a repair plan (read-only).</summary>
    MakeRepairPlan,

    /// <summary>Make a repair plan and write it to a file; the text names the file right after the step.</summary>
    WriteRepairPlan,

    /// <summary>Apply a repair plan (the text may name the plan file right after the step).</summary>
    ApplyRepairPlan,

    /// <summary>Check and write the findings to a baseline file; the text names the file right after the step.</summary>
    WriteBaseline,

    /// <summary>Adopt a database the daemon made: recognise its version and record it.</summary>
    BaselineDatabase,

    /// <summary>List every migration, applied or pending.</summary>
    ShowMigrationStatus,

    /// <summary>Apply the pending migrations.</summary>
    MigrateUp,

    /// <summary>Apply the pending migrations behind the gate (checked before and inside the transaction).</summary>
    MigrateUpGated,

    /// <summary>Print the SQL that applying the pending migrations would run, without running it.</summary>
    PreviewMigrateUp,

    /// <summary>Print the SQL that reverting migrations would run, without running it.</summary>
    PreviewMigrateDown,
}
