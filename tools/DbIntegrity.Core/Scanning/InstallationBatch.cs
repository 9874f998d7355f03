using DbIntegrity.Core.Rules;
using Npgsql;
using NpgsqlTypes;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// What the identifier pass asks of the installation rules: whether a digest settles them, and each installation read
/// in full; and what it tells the rules the digest can clear (<see cref="IDigestClearedRule"/>): every group with its
/// identifier's digests, and the digest rows without an identifier.
/// </summary>
internal sealed record InstallationHandlers(
    Func<IdentifierGroup, InstallationDigest, bool> IsSettled, Action<IdentifierGroup, InstallationRow> Evaluate, DigestObservations? Seen = null);

/// <summary>
/// The identifiers whose installations must be read in full, with their groups (what the rules compare each
/// installation with). Up to <see cref="ScanOptions.InstallationBatch"/> (1,000 index lookups, a recheck batch's size) wait here; then their installations are read in one query on the
/// scan's connection, between two pages of the pass's cursors, in the same snapshot. So memory holds one batch of
/// groups however many identifiers have a finding, and a consistent deployment reads no installation row at all.
/// </summary>
internal sealed class InstallationBatch(ScanSession session, Action<IdentifierGroup, InstallationRow> evaluate)
{
    private readonly Dictionary<string, IdentifierGroup> _groups = new(StringComparer.Ordinal);

    public async Task AddAsync(IdentifierGroup group, CancellationToken cancellationToken)
    {
        _groups[group.Key] = group;
        if (_groups.Count >= session.Options.InstallationBatch)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_groups.Count == 0)
        {
            return;
        }

        var identifiers = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = _groups.Keys.ToArray() };
        var rows = session.Cursor(InstallationRow.Sql(session.Schema, withoutIdentifier: false), InstallationRow.Read, identifiers);
        await foreach (var installation in InstallationRow.Merge(rows.ReadAsync(cancellationToken)))
        {
            // The query asked for exactly the batch's identifiers; another would be a bug, and is reported as one.
            if (installation.Identifier is null || !_groups.TryGetValue(installation.Identifier, out var group))
            {
                throw new InvalidOperationException($"An installation of {installation.Identifier} was read for a batch that did not ask for it.");
            }

            evaluate(group, installation);
        }

        _groups.Clear();
    }

    /// <summary>
    /// Installations whose identifier is NULL, each with an empty group: no plugins row or declaration matches them,
    /// and no digest counts them (an index lookup, as rare as it is wrong).
    /// </summary>
    public async Task ReadUnidentifiedAsync(CancellationToken cancellationToken)
    {
        var none = new IdentifierGroup { Key = string.Empty };
        var rows = session.Cursor(InstallationRow.Sql(session.Schema, withoutIdentifier: true), InstallationRow.Read);
        await foreach (var installation in InstallationRow.Merge(rows.ReadAsync(cancellationToken)))
        {
            evaluate(none, installation);
        }
    }
}
