using System.Collections.Concurrent;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Gathers what rules report during a scan. Thread-safe (deep workers report concurrently). Findings with rechecks
/// wait as candidates until the confirmation pass (held in bounded memory, spilled to temp files beyond
/// <c>candidateBuffer</c>); info findings past the per-rule limit are only counted.
/// </summary>
internal sealed class ScanCollector : IFindingSink, IDisposable
{
    private readonly int _maxInfoPerRule;
    private readonly ConcurrentQueue<Finding> _findings = new();
    private readonly Lock _candidatesLock = new();
    private readonly CandidateSpill _candidates;
    private readonly ConcurrentDictionary<string, int> _countsByRule = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _listedInfoByRule = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _unconfirmed;
    private int _notListed;

    public ScanCollector(int maxInfoPerRule, int candidateBuffer = 10_000)
    {
        _maxInfoPerRule = maxInfoPerRule;
        _candidates = new CandidateSpill(candidateBuffer);
    }

    public int InFlight => _inFlight;

    public int Unconfirmed => _unconfirmed;

    public int NotListed => _notListed;

    public IReadOnlyDictionary<string, int> CountsByRule => _countsByRule;

    public void Add(Finding finding, Recheck[] rechecks)
    {
        if (rechecks.Length > 0)
        {
            lock (_candidatesLock)
            {
                _candidates.Add(finding, rechecks);
            }

            return;
        }

        Accept(finding);
    }

    public void CountInFlight() => Interlocked.Increment(ref _inFlight);

    /// <summary>
    /// The waiting candidates, once every rule has reported; the caller confirms each and calls <see cref="Accept"/>
    /// or <see cref="Reject"/>. The collector keeps ownership (its disposal deletes the spill files).
    /// </summary>
    public CandidateSpill Candidates => _candidates;

    /// <summary>The waiting candidates as a list (unit tests; a scan reads <see cref="Candidates"/> as a stream).</summary>
    public List<(Finding Finding, Recheck[] Rechecks)> DrainCandidates() => [.. _candidates.ReadAsync(CancellationToken.None).ToBlockingEnumerable()];

    public void Accept(Finding finding)
    {
        _countsByRule.AddOrUpdate(finding.Rule, 1, (_, n) => n + 1);
        if (finding.Severity == Severity.Info && _listedInfoByRule.AddOrUpdate(finding.Rule, 1, (_, n) => n + 1) > _maxInfoPerRule)
        {
            Interlocked.Increment(ref _notListed);
            return;
        }

        _findings.Enqueue(finding);
    }

    public void Reject() => Interlocked.Increment(ref _unconfirmed);

    public void Dispose() => _candidates.Dispose();

    /// <summary>The listed findings, most severe first, then by rule and locators, so reports are stable.</summary>
    public IReadOnlyList<Finding> Findings() =>
        [.. _findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ThenBy(f => f.Identifier ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(f => f.ObjectKey ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(f => f.Table ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(f => f.TenantId ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(f => f.RowId ?? string.Empty, StringComparer.Ordinal)];
}
