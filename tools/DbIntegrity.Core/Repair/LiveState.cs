using System.Text.Json;
using DbIntegrity.Core.Backup;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Compares a fix's facts and steps with the live state. With <c>forUpdate</c> the rows read are locked until the
/// transaction ends, so what was verified is what gets changed.
/// </summary>
internal static class LiveState
{
    /// <summary>Null when the fact holds, else what changed.</summary>
    public static async Task<string?> CheckAsync(ApplySession session, RepairFact fact, bool forUpdate, CancellationToken cancellationToken)
    {
        switch (fact)
        {
            case RepairFact.Row row:
                var current = await RowAsync(session, row.Table, row.Id, forUpdate, cancellationToken);
                return current is null ? $"{row.Table} row {row.Id} no longer exists"
                    : JsonElement.DeepEquals(current.Value, row.Content) ? null
                    : $"{row.Table} row {row.Id} changed ({RowJson.Differences(row.Content, current.Value)})";
            case RepairFact.RowCount count:
                var now = await RepairSql.CountAsync(session.Connection, session.Transaction!, session.Schema, count.Table, count.Where, cancellationToken);
                return now == count.Count ? null
                    : $"{count.Table} has {now} row(s) with {string.Join(", ", count.Where.Select(kv => $"{kv.Key}={kv.Value ?? "NULL"}"))}, the plan counted {count.Count}";
            case RepairFact.ObjectPresent present:
                var stored = await session.Store.HeadAsync(present.Key, cancellationToken);
                return stored is null ? $"{present.Key} no longer exists"
                    : stored.ETag == present.ETag && stored.Size == present.Size ? null
                    : $"{present.Key} changed (ETag {stored.ETag}, {stored.Size} bytes; planned {present.ETag}, {present.Size} bytes)";
            case RepairFact.ObjectAbsent absent:
                return await session.Store.HeadAsync(absent.Key, cancellationToken) is null ? null : $"{absent.Key} exists now";
            default:
                throw new ConfigurationException($"The plan has a fact of unknown type {fact.GetType().Name}.");
        }
    }

    public static async Task<StepVerdict> AssessAsync(ApplySession session, RepairFix fix, RepairStep step, bool forUpdate, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case RepairStep.DeleteRow delete:
                {
                    var current = await RowAsync(session, delete.Table, delete.Id, forUpdate, cancellationToken);
                    var planned = PlannedRow(fix, delete.Table, delete.Id);
                    return current is null ? StepVerdict.Done
                        : JsonElement.DeepEquals(current.Value, planned) ? StepVerdict.Pending
                        : StepVerdict.Stale($"{delete.Table} row {delete.Id} changed ({RowJson.Differences(planned, current.Value)})");
                }

            case RepairStep.UpdateRow update:
                {
                    var current = await RowAsync(session, update.Table, update.Id, forUpdate, cancellationToken);
                    var planned = PlannedRow(fix, update.Table, update.Id);
                    if (current is null)
                    {
                        return StepVerdict.Stale($"{update.Table} row {update.Id} no longer exists");
                    }

                    return JsonElement.DeepEquals(current.Value, planned) ? StepVerdict.Pending
                        : JsonElement.DeepEquals(current.Value, With(planned, update.Set)) ? StepVerdict.Done
                        : StepVerdict.Stale($"{update.Table} row {update.Id} changed ({RowJson.Differences(planned, current.Value)})");
                }

            case RepairStep.InsertRow insert:
                {
                    var current = await RowAsync(session, insert.Table, insert.Id, forUpdate, cancellationToken);
                    return current is null ? StepVerdict.Pending
                        : insert.Values.All(kv => current.Value.TryGetProperty(kv.Key, out var value) && JsonElement.DeepEquals(value, kv.Value)) ? StepVerdict.Done
                        : StepVerdict.Stale($"{insert.Table} has another row with id {insert.Id}");
                }

            case RepairStep.CopyObject copy:
                {
                    var destination = await session.Store.HeadAsync(copy.DestinationKey, cancellationToken);
                    if ((copy.Replaces is null && destination is null)
                        || (copy.Replaces is { } replaced && destination is not null && destination.ETag == replaced.ETag && destination.Size == replaced.Size))
                    {
                        return StepVerdict.Pending;
                    }

                    if (destination is null)
                    {
                        return StepVerdict.Stale($"{copy.DestinationKey}, which the plan replaces, no longer exists");
                    }

                    await using var written = await DownloadedObject.DownloadAsync(session.Store, copy.DestinationKey, computeChecksum: true, cancellationToken);
                    return written?.Checksum == copy.Checksum ? StepVerdict.Done : StepVerdict.Stale($"{copy.DestinationKey} exists now with other content");
                }

            case RepairStep.DeleteObject delete:
                {
                    var stored = await session.Store.HeadAsync(delete.Key, cancellationToken);
                    return stored is null ? StepVerdict.Done
                        : stored.ETag == delete.ETag && stored.Size == delete.Size ? StepVerdict.Pending
                        : StepVerdict.Stale($"{delete.Key} changed (ETag {stored.ETag}, {stored.Size} bytes)");
                }

            default:
                throw new ConfigurationException($"The plan has a step of unknown type {step.GetType().Name}.");
        }
    }

    /// <summary>The row content a delete or update step was planned on (its fix's row fact).</summary>
    public static JsonElement PlannedRow(RepairFix fix, string table, string id) =>
        fix.Facts.OfType<RepairFact.Row>().FirstOrDefault(f => f.Table == table && f.Id == id)?.Content
        ?? throw new ConfigurationException($"Fix {fix.Id} changes {table} row {id} but does not record its content: the plan is damaged. Make a new plan.");

    private static Task<JsonElement?> RowAsync(ApplySession session, string table, string id, bool forUpdate, CancellationToken cancellationToken) =>
        RepairSql.RowAsync(session.Connection, session.Transaction!, session.Schema, table, id, forUpdate, cancellationToken);

    private static JsonElement With(JsonElement row, IReadOnlyDictionary<string, JsonElement> set)
    {
        var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in row.EnumerateObject())
        {
            merged[property.Name] = property.Value;
        }

        foreach (var (column, value) in set)
        {
            merged[column] = value;
        }

        return JsonSerializer.SerializeToElement(merged);
    }
}
