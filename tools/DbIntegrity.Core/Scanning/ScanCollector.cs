using System.Collections.Concurrent;
using System.Text;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Gathers what rules report during a scan. Thread-safe (deep workers report concurrently). Findings with rechecks
/// wait as candidates until the confirmation pass (held in bounded memory, spilled to temp files beyond
/// <c>candidateBuffer</c>); info findings past the per-rule limit are only counted. Accepted findings are held in
/// memory up to <c>candidateBuffer</c> too, then sorted externally and listed from the sort's files (<see cref="SpilledFindings"/>).
/// </summary>
internal sealed class ScanCollector : IFindingSink, IDisposable
{
    private readonly int _maxInfoPerRule;
    private readonly Lock _findingsLock = new();
    private readonly int _findingBuffer;
    private List<Finding> _findings = [];
    private ExternalSorter? _spilledFindings;
    private SpilledFindings? _spilledList;
    private bool _disposed;
    private readonly Lock _candidatesLock = new();
    private readonly CandidateSpill _candidates;
    private readonly ConcurrentDictionary<string, int> _countsByRule = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _listedInfoByRule = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _unconfirmed;
    private int _notListed;

    public ScanCollector(int maxInfoPerRule, int candidateBuffer = 10_000, int candidateChunkBytes = 1 << 20)
    {
        _maxInfoPerRule = maxInfoPerRule;
        _candidates = new CandidateSpill(candidateBuffer, candidateChunkBytes);
        _findingBuffer = candidateBuffer;
    }

    public int InFlight => _inFlight;

    public int Unconfirmed => _unconfirmed;

    public int NotListed => _notListed;

    public IReadOnlyDictionary<string, int> CountsByRule => _countsByRule;

    public void Add(FindingDraft finding, Recheck[] rechecks)
    {
        if (rechecks.Length > 0)
        {
            lock (_candidatesLock)
            {
                _candidates.Add(finding, rechecks);
            }

            return;
        }

        Accept(finding.ToFinding());
    }

    public void CountInFlight() => Interlocked.Increment(ref _inFlight);

    /// <summary>
    /// The waiting candidates, once every rule has reported; the caller confirms each and calls <see cref="Accept(Finding)"/>
    /// (a held one), <see cref="Accept(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> (a spilled one) or <see cref="Reject"/>. The collector keeps ownership (its disposal deletes the spill files).
    /// </summary>
    public CandidateSpill Candidates => _candidates;

    /// <summary>The waiting candidates as a list (unit tests; a scan reads <see cref="Candidates"/> as a stream).</summary>
    public List<(Finding Finding, Recheck[] Rechecks)> DrainCandidates() => [.. _candidates.ReadAsync(CancellationToken.None).ToBlockingEnumerable()];

    /// <summary>Counts and lists a confirmed finding.</summary>
    public void Accept(Finding finding) => Accept(finding.Rule, finding.Severity, finding);

    /// <summary>
    /// Counts and lists a confirmed candidate as <see cref="CandidateSpill.ReadSerializedFindingsAsync"/> gives it (tests):
    /// a spilled one through <see cref="Accept(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.
    /// </summary>
    public void Accept(CandidateFinding candidate)
    {
        if (candidate.Spilled is not { } spilled)
        {
            Accept(candidate.Held!);
            return;
        }

        Accept(spilled.Utf8Key, spilled.Utf8Value);
    }

    /// <summary>
    /// Counts and lists a confirmed candidate given as its sort key and the rest of it, as a spill file holds them
    /// (<see cref="CandidateSpill.FindingCursor"/>; the bytes are only lent): beyond the buffer they are written to the
    /// external sort as they are, and nothing is made of them but the count. Its rule and severity are read from the key.
    /// </summary>
    public void Accept(ReadOnlySpan<byte> sortKey, ReadOnlySpan<byte> rest)
    {
        var severity = SpilledFindings.RuleAndSeverity(sortKey, out var utf8Rule);
        Accept(RuleName(utf8Rule), severity, null, sortKey, rest);
    }

    // A rule's id from its UTF-8 bytes: the counted one when the rule was counted before (no string made), else new.
    private string RuleName(ReadOnlySpan<byte> utf8Rule)
    {
        Span<char> chars = utf8Rule.Length <= 256 ? stackalloc char[utf8Rule.Length] : new char[utf8Rule.Length];
        chars = chars[..Encoding.UTF8.GetChars(utf8Rule, chars)];
        return _countsByRule.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var rule, out _) ? rule : new string(chars);
    }

    private void Accept(string rule, Severity severity, Finding? finding, ReadOnlySpan<byte> sortKey = default, ReadOnlySpan<byte> rest = default)
    {
        _countsByRule.AddOrUpdate(rule, 1, (_, n) => n + 1);
        if (severity == Severity.Info && _listedInfoByRule.AddOrUpdate(rule, 1, (_, n) => n + 1) > _maxInfoPerRule)
        {
            Interlocked.Increment(ref _notListed);
            return;
        }

        lock (_findingsLock)
        {
            if (_disposed)
            {
                // A scan abandoned at its deadline still reporting: its report is written, and these files are gone.
                return;
            }

            if (_spilledFindings is null && _findings.Count < _findingBuffer)
            {
                _findings.Add(finding ?? SpilledFindings.Deserialize(sortKey, rest));
                return;
            }

            // Beyond the buffer (a lost prefix: a finding per row) the findings go to an external sort, not the heap.
            if (_spilledFindings is null)
            {
                _spilledFindings = new ExternalSorter(_findingBuffer);
                foreach (var held in _findings)
                {
                    Spill(Record(held));
                }

                _findings = [];
            }

            if (finding is null)
            {
                _spilledFindings.Add(sortKey, rest, CancellationToken.None);
            }
            else
            {
                Spill(Record(finding));
            }
        }
    }

    private static SortRecord Record(Finding finding) => new(SpilledFindings.SortKey(finding), SpilledFindings.Rest(finding));

    private void Spill(SortRecord record) => _spilledFindings!.AddAsync(record, CancellationToken.None).GetAwaiter().GetResult();

    public void Reject() => Interlocked.Increment(ref _unconfirmed);

    public void Dispose()
    {
        // Under the lock: a scan abandoned at its deadline may still be adding a candidate.
        lock (_candidatesLock)
        {
            _candidates.Dispose();
        }

        lock (_findingsLock)
        {
            _disposed = true;
            _spilledFindings?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// The listed findings, most severe first, then by rule and locators, so reports are stable. Beyond the buffer, a
    /// list read from temp files (it outlives the collector; the files go when the list does).
    /// </summary>
    public Task<IReadOnlyList<Finding>> FindingsAsync(CancellationToken cancellationToken)
    {
        // Under the lock: a scan abandoned at its deadline may still be accepting a finding.
        lock (_findingsLock)
        {
            if (_spilledFindings is not null)
            {
                // The list takes the sorter's files (the sorter takes no more afterwards), so it is made once.
                _spilledList ??= SpilledFindings.From(_spilledFindings, cancellationToken);
                return Task.FromResult<IReadOnlyList<Finding>>(_spilledList);
            }

            return Task.FromResult(Findings());
        }
    }

    /// <summary>
    /// The listed findings held in memory (below the buffer), in the report's order: the order of their sort keys'
    /// bytes, as spilled findings are sorted (<see cref="SpilledFindings.SortKey"/>), so a report's order does not
    /// change when a scan passes the buffer (UTF-16 order differs above U+FFFF).
    /// </summary>
    public IReadOnlyList<Finding> Findings() =>
        _spilledFindings is not null
            ? throw new InvalidOperationException("The findings were spilled to disk; read them with FindingsAsync.")
            : [.. _findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Rule, Utf8Ordinal.Instance)
            .ThenBy(f => f.Identifier ?? string.Empty, Utf8Ordinal.Instance)
            .ThenBy(f => f.ObjectKey ?? string.Empty, Utf8Ordinal.Instance)
            .ThenBy(f => f.Table ?? string.Empty, Utf8Ordinal.Instance)
            .ThenBy(f => f.TenantId ?? string.Empty, Utf8Ordinal.Instance)
            .ThenBy(f => f.RowId ?? string.Empty, Utf8Ordinal.Instance)
            .ThenBy(f => f.Message, Utf8Ordinal.Instance)];
}
