using System.Buffers;
using System.Collections;
using System.Text;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// A report's findings kept in temporary files instead of memory (issue 13: a lost prefix is a finding per row, and
/// the report stays complete): the external sort's run files, each finding where its run holds it; only where
/// each lies stays in memory (12 bytes a finding, <see cref="SortedRecords"/>). Enumerating reads the files again, so a
/// consumer that streams (the JSON report) holds one finding at a time. The files are closed when the list is
/// collected or the process exits (unlinked from the start on Unix; DeleteOnClose on Windows).
/// </summary>
internal sealed class SpilledFindings : IReadOnlyList<Finding>
{
    private readonly SortedRecords _records;

    private SpilledFindings(SortedRecords records)
    {
        _records = records;
    }

    public int Count => _records.Count;

    public Finding this[int index] => Read(index, new byte[_records.LengthOf(index)]);

    /// <summary>
    /// What a finding holds beside its <see cref="SortKey"/> (which holds its severity, rule, locators and message):
    /// which locators are null (the key holds them as empty), the byte count of each key field (so each is sliced back
    /// exactly, whatever it holds), then the plugin id and the details, each string as a 7-bit encoded UTF-8 byte count
    /// and its bytes. A spilled finding is its key and this: the JSON of the whole finding beside the key held
    /// everything twice, in files a wiped scan writes and reads back several times over (issue 13).
    /// </summary>
    public static void WriteRest(FindingDraft finding, IBufferWriter<byte> into)
    {
        // The locators in the key's order (KeyFields), a bit each.
        var nulls = (finding.Identifier is null ? 1 : 0) | (finding.ObjectKey is null ? 2 : 0) | (finding.Table is null ? 4 : 0)
            | (finding.TenantId is null ? 8 : 0) | (finding.RowId is null ? 16 : 0);
        Write7Bit(into, nulls);
        foreach (var field in KeyFields(finding))
        {
            Write7Bit(into, Encoding.UTF8.GetByteCount(field));
        }

        Write7Bit(into, Encoding.UTF8.GetByteCount(finding.Message));
        WriteText(into, finding.PluginId);
        // The details' count plus one (0: none at all), then each name and value.
        if (finding.Details is not { } details)
        {
            Write7Bit(into, 0);
            return;
        }

        Write7Bit(into, details.Count + 1);
        foreach (var (key, value) in details)
        {
            WriteText(into, key);
            WriteText(into, value);
        }
    }

    /// <summary><see cref="WriteRest"/>'s bytes, in an array of their own.</summary>
    public static byte[] Rest(Finding finding)
    {
        var rest = new ArrayBufferWriter<byte>(64);
        WriteRest(new FindingDraft(finding), rest);
        return rest.WrittenSpan.ToArray();
    }

    /// <summary>A finding from its <see cref="SortKey"/> and <see cref="WriteRest"/>'s bytes.</summary>
    public static Finding Deserialize(ReadOnlySpan<byte> sortKey, ReadOnlySpan<byte> rest)
    {
        var at = 0;
        var nulls = Read7Bit(rest, ref at);
        if (nulls >= 1 << (KeyFieldCount - 2))
        {
            throw new InvalidDataException("A spilled finding marks more fields null than it has locators.");
        }

        var fields = new string[KeyFieldCount];
        var keyAt = 1;
        for (var i = 0; i < fields.Length; i++)
        {
            var length = Read7Bit(rest, ref at);
            if (length > sortKey.Length - keyAt - 1 || sortKey[keyAt] != 0)
            {
                throw new InvalidDataException("A spilled finding's sort key does not hold the fields its rest counts.");
            }

            if (length > 0 && i is > 0 and < KeyFieldCount - 1 && (nulls & (1 << (i - 1))) != 0)
            {
                throw new InvalidDataException("A spilled finding's null locator has text in its sort key.");
            }

            fields[i] = Encoding.UTF8.GetString(sortKey.Slice(keyAt + 1, length));
            keyAt += 1 + length;
        }

        var severity = (Severity)('z' - sortKey[0]);
        if (keyAt != sortKey.Length || sortKey[0] > 'z' || !Enum.IsDefined(severity))
        {
            throw new InvalidDataException("A spilled finding's sort key holds more than its rest counts, or no severity.");
        }

        var pluginId = ReadText(rest, ref at);
        var detailCount = Read7Bit(rest, ref at) - 1;
        // Each detail takes at least two bytes (its name's and its value's counts): a count beyond that is not a count.
        if (detailCount > (rest.Length - at) / 2)
        {
            throw new InvalidDataException("A spilled finding counts more details than it holds.");
        }

        Dictionary<string, string>? details = detailCount < 0 ? null : new(detailCount, StringComparer.Ordinal);
        for (var i = 0; i < detailCount; i++)
        {
            var key = ReadText(rest, ref at) ?? throw new InvalidDataException("A spilled finding's detail has no name.");
            var value = ReadText(rest, ref at) ?? throw new InvalidDataException("A spilled finding's detail has no value.");
            if (!details!.TryAdd(key, value))
            {
                throw new InvalidDataException("A spilled finding names a detail twice.");
            }
        }

        if (at != rest.Length)
        {
            throw new InvalidDataException("A spilled finding holds more than a finding.");
        }

        string? Locator(int i) => (nulls & (1 << (i - 1))) != 0 ? null : fields[i];
        return new Finding
        {
            Severity = severity,
            Rule = fields[0],
            Identifier = Locator(1),
            ObjectKey = Locator(2),
            Table = Locator(3),
            TenantId = Locator(4),
            RowId = Locator(5),
            Message = fields[6],
            PluginId = pluginId,
            Details = details,
        };
    }

    /// <summary>The rule and severity a <see cref="SortKey"/> was made from (its first two fields).</summary>
    public static (string Rule, Severity Severity) RuleAndSeverity(ReadOnlySpan<byte> sortKey)
    {
        var severity = RuleAndSeverity(sortKey, out var utf8Rule);
        return (Encoding.UTF8.GetString(utf8Rule), severity);
    }

    /// <summary>The severity a <see cref="SortKey"/> was made from, and its rule as the key holds it (UTF-8, not decoded).</summary>
    public static Severity RuleAndSeverity(ReadOnlySpan<byte> sortKey, out ReadOnlySpan<byte> utf8Rule)
    {
        var end = sortKey.Length > 2 && sortKey[1] == 0 ? sortKey[2..].IndexOf((byte)0) : -1;
        if (end < 0 || sortKey[0] >= 0x80)
        {
            throw new InvalidDataException("A spilled finding's sort key does not start with its severity and rule.");
        }

        utf8Rule = sortKey.Slice(2, end);
        return (Severity)('z' - sortKey[0]);
    }

    /// <summary>
    /// The sort key of the report's order (most severe first, then rule and locators: <see cref="ScanCollector.Findings"/>),
    /// as UTF-8 compared byte by byte (<see cref="SortRecord.Compare"/>); fields are joined by a zero byte, which sorts
    /// before any character they hold. Written straight into one array of its exact size: the key holds the whole
    /// message, and a wiped prefix makes one per row.
    /// </summary>
    public static byte[] SortKey(Finding finding)
    {
        var draft = new FindingDraft(finding);
        var key = new byte[KeyLength(draft)];
        WriteKey(draft, key);
        return key;
    }

    /// <summary>
    /// <see cref="SortKey"/>'s bytes, from a draft (a candidate spilled as it is reported: its message encoded from its
    /// characters), into a buffer the caller reuses (a spill writes one per candidate).
    /// </summary>
    public static void WriteSortKey(FindingDraft finding, IBufferWriter<byte> into)
    {
        var length = KeyLength(finding);
        WriteKey(finding, into.GetSpan(length));
        into.Advance(length);
    }

    // The key into a span of at least KeyLength bytes.
    private static void WriteKey(FindingDraft finding, Span<byte> key)
    {
        key[0] = (byte)('z' - (int)finding.Severity);
        var at = 1;
        foreach (var field in KeyFields(finding))
        {
            key[at++] = 0;
            at += Encoding.UTF8.GetBytes(field, key[at..]);
        }

        key[at++] = 0;
        Encoding.UTF8.GetBytes(finding.Message, key[at..]);
    }

    private static int KeyLength(FindingDraft finding)
    {
        var length = 1;
        foreach (var field in KeyFields(finding))
        {
            length += 1 + Encoding.UTF8.GetByteCount(field);
        }

        return length + 1 + Encoding.UTF8.GetByteCount(finding.Message);
    }

    // The sort key's fields: the rule, the locators (null as empty), then the message, which a draft may hold as
    // characters only (a span), so it is written after the others, not among them.
    private const int KeyFieldCount = 7;

    // The key's fields before the message (KeyFieldCount - 1 of them), in order. An inline array: one spill asks for
    // them per candidate.
    private static KeyFieldArray KeyFields(FindingDraft finding)
    {
        var fields = default(KeyFieldArray);
        fields[0] = finding.Rule;
        fields[1] = finding.Identifier ?? string.Empty;
        fields[2] = finding.ObjectKey ?? string.Empty;
        fields[3] = finding.Table ?? string.Empty;
        fields[4] = finding.TenantId ?? string.Empty;
        fields[5] = finding.RowId ?? string.Empty;
        return fields;
    }

    [System.Runtime.CompilerServices.InlineArray(KeyFieldCount - 1)]
    private struct KeyFieldArray
    {
        private string _first;
    }

    private static void Write7Bit(IBufferWriter<byte> into, int value)
    {
        var span = into.GetSpan(5);
        var n = 0;
        var left = (uint)value;
        while (left >= 0x80)
        {
            span[n++] = (byte)(left | 0x80);
            left >>= 7;
        }

        span[n++] = (byte)left;
        into.Advance(n);
    }

    // A string as its byte count plus one (0: null) and its UTF-8 bytes.
    private static void WriteText(IBufferWriter<byte> into, string? text)
    {
        if (text is null)
        {
            Write7Bit(into, 0);
            return;
        }

        var count = Encoding.UTF8.GetByteCount(text);
        Write7Bit(into, count + 1);
        into.Advance(Encoding.UTF8.GetBytes(text, into.GetSpan(count)));
    }

    private static int Read7Bit(ReadOnlySpan<byte> from, ref int at) => SevenBitCount.Read(from, ref at, "A spilled finding");

    private static string? ReadText(ReadOnlySpan<byte> from, ref int at)
    {
        var count = Read7Bit(from, ref at) - 1;
        if (count < 0)
        {
            return null;
        }

        if (from.Length - at < count)
        {
            throw new InvalidDataException("A spilled finding ends early.");
        }

        var text = Encoding.UTF8.GetString(from.Slice(at, count));
        at += count;
        return text;
    }

    /// <summary>
    /// The findings of a sorter whose records are findings' <see cref="SortKey"/> and <see cref="WriteRest"/>'s bytes,
    /// in its order, read where its runs hold them; the list takes the runs (ScanCollector).
    /// </summary>
    public static SpilledFindings From(ExternalSorter sorter, CancellationToken cancellationToken) => new(sorter.TakeSorted(cancellationToken));

    public IEnumerator<Finding> GetEnumerator()
    {
        var buffer = new byte[4096];
        for (var i = 0; i < Count; i++)
        {
            if (buffer.Length < _records.LengthOf(i))
            {
                buffer = new byte[_records.LengthOf(i)];
            }

            yield return Read(i, buffer);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Finding Read(int index, byte[] buffer)
    {
        var (key, rest) = _records.Read(index, buffer);
        return Deserialize(buffer.AsSpan(key), buffer.AsSpan(rest));
    }
}
