using System.Collections;
using System.Text;
using System.Text.Json;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// A report's findings kept in a temporary file instead of memory (issue 13: a lost prefix is a finding per row, and
/// the report stays complete). Each finding is one JSON line; only the offsets stay in memory (8 bytes a finding).
/// Enumerating reads the file again, so a consumer that streams (the JSON report) holds one finding at a time. The
/// file is deleted when the list is collected or the process exits (already unlinked on Unix; DeleteOnClose on Windows).
/// </summary>
internal sealed class SpilledFindings : IReadOnlyList<Finding>
{
    private readonly ScratchFile _file;
    private readonly long[] _offsets;

    private SpilledFindings(ScratchFile file, long[] offsets)
    {
        _file = file;
        _offsets = offsets;
    }

    public int Count => _offsets.Length - 1;

    public Finding this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return Read(index, new byte[_offsets[index + 1] - _offsets[index]]);
        }
    }

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

    /// <summary>Writes the sorted findings (values: <see cref="SerializeToUtf8"/>'s bytes, as they are) to a new temporary file.</summary>
    public static async Task<SpilledFindings> WriteAsync(IAsyncEnumerable<SortRecord> sorted, long count, CancellationToken cancellationToken)
    {
        // Unnamed from the start (ScratchFile): nothing is left behind however the process ends.
        var file = ScratchFile.Create("dbintegrity-findings");
        try
        {
            var offsets = new long[count + 1];
            long offset = 0;
            var index = 0;
            await using (var stream = file.OpenWrite())
            {
                await foreach (var record in sorted.WithCancellation(cancellationToken))
                {
                    offsets[index++] = offset;
                    offset += record.Utf8Value.Length;
                    stream.Write(record.Utf8Value);
                }
            }

            if (index != count)
            {
                throw new InvalidOperationException($"Expected {count} findings to write, got {index}.");
            }

            offsets[index] = offset;
            return new SpilledFindings(file, offsets);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public IEnumerator<Finding> GetEnumerator()
    {
        var buffer = new byte[4096];
        for (var i = 0; i < Count; i++)
        {
            if (buffer.Length < _offsets[i + 1] - _offsets[i])
            {
                buffer = new byte[_offsets[i + 1] - _offsets[i]];
            }

            yield return Read(i, buffer);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Finding Read(int index, byte[] buffer)
    {
        var length = (int)(_offsets[index + 1] - _offsets[index]);
        var span = buffer.AsSpan(0, length);
        var read = 0;
        while (read < length)
        {
            var n = _file.ReadAt(span[read..], _offsets[index] + read);
            if (n == 0)
            {
                throw new IOException("The findings' temporary file ended early.");
            }

            read += n;
        }

        return JsonSerializer.Deserialize(span, SpillJson.SpilledFinding)
            ?? throw new InvalidDataException("A finding in the findings' temporary file is null.");
    }
}
