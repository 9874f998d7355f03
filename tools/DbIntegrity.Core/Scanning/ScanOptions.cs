namespace DbIntegrity.Core.Scanning;

/// <summary>How a scan runs. The defaults are what <c>dbintegrity check</c> does without flags.</summary>
public sealed record ScanOptions
{
    /// <summary>Rows and objects younger than this are in flight, not broken (default 5 minutes; zero turns it off).</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Download packages and check their checksum and manifest.</summary>
    public bool Deep { get; init; }

    /// <summary>Packages downloaded at once with <see cref="Deep"/>.</summary>
    public int DeepParallelism { get; init; } = 4;

    /// <summary>Only these rule ids (null: all).</summary>
    public IReadOnlySet<string>? Rules { get; init; }

    /// <summary>The whole scan must finish within this, or it is incomplete (null: no limit).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Info findings listed per rule; the rest are counted. Errors and warnings are always all listed.</summary>
    public int MaxInfoFindingsPerRule { get; init; } = 1000;

    /// <summary>Rows fetched per cursor round trip.</summary>
    public int PageSize { get; init; } = 2000;

    /// <summary>HEAD requests and recheck queries run at once when confirming findings.</summary>
    public int RecheckParallelism { get; init; } = 8;

    /// <summary>Candidate findings held in memory before the rest spill to temp files: memory stays flat however many there are.</summary>
    public int CandidateBuffer { get; init; } = 10_000;

    /// <summary>
    /// Candidates in one listing prefix (e.g. <c>plugin_packages/</c>) confirmed by one HEAD each; beyond this, their key
    /// range is listed again instead (one request per 1,000 keys, skipping gaps between candidates).
    /// </summary>
    public int HeadConfirmationLimit { get; init; } = 100;
}
