using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// What a rule sees while it evaluates, and where it reports. Grace (rows and objects younger than --grace are in
/// flight) and rechecks (confirming a "missing" against the live state) are applied here, once, for every rule.
/// </summary>
internal sealed class RuleContext
{
    private readonly IFindingSink _sink;

    internal RuleContext(IIntegrityRule rule, DatabaseSchema schema, StorageLayout layout, TimeSpan grace, DateTimeOffset now, IFindingSink sink)
    {
        Rule = rule;
        Schema = schema;
        Layout = layout;
        GraceCutoff = now - grace;
        FutureCutoff = now + grace;
        _sink = sink;
    }

    public IIntegrityRule Rule { get; }

    public DatabaseSchema Schema { get; }

    public StorageLayout Layout { get; }

    /// <summary>Evidence newer than this is in flight (the daemon may be half-way through an upload or install).</summary>
    public DateTimeOffset GraceCutoff { get; }

    /// <summary>
    /// Evidence stamped later than this is not in flight but mis-stamped: GORM fills created_at and updated_at from the
    /// daemon host's clock (docs/daemon/database.md#base-model), S3 stamps objects with its own, so a clock far ahead would otherwise hide a
    /// finding for as long as the skew lasts. Skew within the grace period still counts as in flight.
    /// </summary>
    public DateTimeOffset FutureCutoff { get; }

    /// <summary>True when a row or object written at <paramref name="time"/> is too young to judge.</summary>
    public bool IsInFlight(DateTimeOffset? time) => time is { } t && t > GraceCutoff && t <= FutureCutoff;

    /// <summary>
    /// Reports a finding of this rule. <paramref name="newestEvidence"/> is the newest timestamp among the rows and
    /// objects the finding rests on; <paramref name="rechecks"/> must all still hold on the live state. The message is
    /// written as <c>$"…"</c>: formatted into a rented buffer, made a string only where the finding is kept in memory
    /// (<see cref="FindingMessage"/>).
    /// </summary>
    public void Report(ref FindingMessage message, FindingLocation location, DateTimeOffset? newestEvidence = null, params Recheck[] rechecks)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(location);
            if (IsInFlight(newestEvidence))
            {
                _sink.CountInFlight();
                return;
            }

            _sink.Add(new FindingDraft(Rule.Descriptor.Id, Rule.Descriptor.Severity, location, message.Text), rechecks);
        }
        finally
        {
            message.Clear();
        }
    }
}
