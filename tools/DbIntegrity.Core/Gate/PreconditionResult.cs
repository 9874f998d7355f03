using System.Text;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Migrations.Preconditions;

namespace DbIntegrity.Core.Gate;

/// <summary>One precondition of one pending migration, evaluated: its status and the first offending rows.</summary>
public sealed record PreconditionResult
{
    public required MigrationDescriptor Migration { get; init; }

    public required MigrationPrecondition Precondition { get; init; }

    public required PreconditionStatus Status { get; init; }

    /// <summary>The columns of the offending rows, as the precondition's SELECT names them.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The first offending rows (at most <see cref="PreconditionEvaluator.ListedRows"/>), values as text.</summary>
    public IReadOnlyList<IReadOnlyList<string?>> Rows { get; init; } = [];

    /// <summary>How many rows offend, listed or not.</summary>
    public int OffendingCount { get; init; }

    /// <summary>Why it is not applicable or could not be evaluated.</summary>
    public string? Note { get; init; }

    /// <summary><c>50400 plugins-identifier-unique</c>: how CI and reports name it.</summary>
    public string Name => $"{Migration.Id} {Precondition.Id}";

    /// <summary>One offending row as <c>column=value, …</c>.</summary>
    public string DescribeRow(int index)
    {
        var text = new StringBuilder();
        var row = Rows[index];
        for (var i = 0; i < Columns.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(Columns[i]).Append('=').Append(row[i] ?? "NULL");
        }

        return text.ToString();
    }
}
