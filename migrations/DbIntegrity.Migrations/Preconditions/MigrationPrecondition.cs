namespace DbIntegrity.Migrations.Preconditions;

/// <summary>
/// A condition the data must meet before a migration can run, declared next to the migration (see
/// <see cref="IHasPreconditions"/>) and evaluated by the gate. Without it the migration fails halfway with PostgreSQL's
/// raw error; with it the gate names the offending rows before anything runs.
/// </summary>
public sealed record MigrationPrecondition
{
    /// <summary>A stable id, unique across the chain, e.g. <c>plugins-identifier-unique</c>. CI shows it as a test name.</summary>
    public required string Id { get; init; }

    /// <summary>What must hold, in one sentence.</summary>
    public required string Description { get; init; }

    /// <summary>
    /// A read-only <c>SELECT</c> that lists the offending rows; no row means the condition holds. It runs against the
    /// schema the migration starts from, in the schema the daemon's tables live in.
    /// </summary>
    public required string OffendingRowsSql { get; init; }

    /// <summary>What to do about offending rows, in words an operator acts on.</summary>
    public required string Remedy { get; init; }

    /// <summary>SQL that resolves the offending rows by hand (review it, run it in one transaction); null when no generic fix exists.</summary>
    public string? RepairSql { get; init; }

    /// <summary>The direction the condition guards: most guard <c>Up</c>; a <c>Down</c> that can fail declares its own.</summary>
    public PreconditionDirection Direction { get; init; } = PreconditionDirection.Up;
}
