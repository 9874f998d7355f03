using System.Collections;
using System.Text;
using System.Text.Json;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// A report's findings kept in temporary files instead of memory (issue 13: a lost prefix is a finding per row, and
/// the report stays complete): the external sort's run files, each finding's JSON where its run holds it; only where
/// each lies stays in memory (12 bytes a finding, <see cref="SortedPayloads"/>). Enumerating reads the files again, so a
/// consumer that streams (the JSON report) holds one finding at a time. The files are closed when the list is
/// collected or the process exits (unlinked from the start on Unix; DeleteOnClose on Windows).
/// </summary>
internal sealed class SpilledFindings : IReadOnlyList<Finding>
{
    private readonly SortedPayloads _payloads;

    private SpilledFindings(SortedPayloads payloads)
    {
        _payloads = payloads;
    }

    public int Count => _payloads.Count;

    public Finding this[int index] => Read(index, new byte[_payloads.LengthOf(index)]);

    /// <summary>One finding serialized for <see cref="ExternalSorter"/> (its value) and for the file.</summary>
    public static string Serialize(Finding finding) => JsonSerializer.Serialize(finding, SpillJson.SpilledFinding);

    /// <summary><see cref="Serialize"/>'s text as UTF-8, as the findings' file holds it.</summary>
    public static byte[] SerializeToUtf8(Finding finding) => JsonSerializer.SerializeToUtf8Bytes(finding, SpillJson.SpilledFinding);

    /// <summary>A finding from <see cref="SerializeToUtf8"/>'s bytes.</summary>
    public static Finding Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, SpillJson.SpilledFinding) ?? throw new InvalidDataException("A spilled finding is null.");

    /// <summary>The rule and severity a <see cref="SortKey"/> was made from (its first two fields).</summary>
    public static (string Rule, Severity Severity) RuleAndSeverity(ReadOnlySpan<byte> sortKey)
    {
        var end = sortKey.Length > 2 && sortKey[1] == 0 ? sortKey[2..].IndexOf((byte)0) : -1;
        if (end < 0 || sortKey[0] >= 0x80)
        {
            throw new InvalidDataException("A spilled finding's sort key does not start with its severity and rule.");
        }

        return (Encoding.UTF8.GetString(sortKey.Slice(2, end)), (Severity)('z' - sortKey[0]));
    }

    /// <summary>
    /// The sort key of the report's order (most severe first, then rule and locators: <see cref="ScanCollector.Findings"/>),
    /// as UTF-8 compared byte by byte (<see cref="SortRecord.Compare"/>); fields are joined by a zero byte, which sorts
    /// before any character they hold. Written straight into one array of its exact size: the key holds the whole
    /// message, and a wiped prefix makes one per row.
    /// </summary>
    public static byte[] SortKey(Finding finding)
    {
        ReadOnlySpan<string> fields =
        [
            finding.Rule,
            finding.Identifier ?? string.Empty,
            finding.ObjectKey ?? string.Empty,
            finding.Table ?? string.Empty,
            finding.TenantId ?? string.Empty,
            finding.RowId ?? string.Empty,
            finding.Message,
        ];
        var length = 1;
        foreach (var field in fields)
        {
            length += 1 + Encoding.UTF8.GetByteCount(field);
        }

        var key = new byte[length];
        key[0] = (byte)('z' - (int)finding.Severity);
        var at = 1;
        foreach (var field in fields)
        {
            key[at++] = 0;
            at += Encoding.UTF8.GetBytes(field, key.AsSpan(at));
        }

        return key;
    }

    /// <summary>
    /// The findings of a sorter whose values are <see cref="SerializeToUtf8"/>'s bytes, in its order, read where its runs
    /// hold them; the list takes the runs (ScanCollector).
    /// </summary>
    public static SpilledFindings From(ExternalSorter sorter, CancellationToken cancellationToken) => new(sorter.TakeSortedPayloads(cancellationToken));

    public IEnumerator<Finding> GetEnumerator()
    {
        var buffer = new byte[4096];
        for (var i = 0; i < Count; i++)
        {
            if (buffer.Length < _payloads.LengthOf(i))
            {
                buffer = new byte[_payloads.LengthOf(i)];
            }

            yield return Read(i, buffer);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Finding Read(int index, byte[] buffer) =>
        JsonSerializer.Deserialize(_payloads.Read(index, buffer), SpillJson.SpilledFinding)
        ?? throw new InvalidDataException("A finding in the findings' temporary file is null.");
}
