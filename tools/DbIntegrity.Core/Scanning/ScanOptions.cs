using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// How a scan runs. The defaults are what <c>dbintegrity check</c> does without flags: the <c>Default…</c> constants
/// are the one source of them, which the command-line flags, their help text and these properties all read.
/// </summary>
public sealed record ScanOptions
{
    /// <summary>The default of <see cref="Grace"/>, as a duration is written on the command line.</summary>
    public const string DefaultGrace = "5m";

    /// <summary>The default of <see cref="DeepParallelism"/>.</summary>
    public const int DefaultDeepParallelism = 4;

    /// <summary>
    /// The limit every command that scans applies unless told otherwise. <see cref="Timeout"/> itself defaults to no
    /// limit: a library caller chooses its own.
    /// </summary>
    public const string DefaultTimeout = "30m";

    private static readonly TimeSpan GraceDefault = Durations.Parse(DefaultGrace, nameof(Grace));

    /// <summary>Rows and objects younger than this are in flight, not broken (<see cref="DefaultGrace"/>; zero turns it off).</summary>
    public TimeSpan Grace { get; init; } = GraceDefault;

    /// <summary>Download packages and check their checksum and manifest.</summary>
    public bool Deep { get; init; }

    /// <summary>Packages downloaded at once with <see cref="Deep"/>.</summary>
    public int DeepParallelism { get; init; } = DefaultDeepParallelism;

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

    /// <summary>
    /// Candidate findings (and accepted findings) held in memory before the rest spill to temp files: memory stays flat
    /// however many there are. 2,500, measured (docs/benchmarks.md): at 10,000 a lost prefix raised the peak working
    /// set 1.6× over a consistent scan's, at 2,500 1.1×, and the wiped scan was no slower. Candidates beyond it are
    /// written out as they come, through two chunks of about 1 MiB (CandidateSpill).
    /// </summary>
    public int CandidateBuffer { get; init; } = 2_500;

    /// <summary>
    /// Bytes of candidates beyond <see cref="CandidateBuffer"/> gathered in memory before they are written to the temp
    /// files (CandidateSpill). Tests make it small, so that a few candidates reach the files.
    /// </summary>
    internal int CandidateChunkBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Candidates in one listing prefix (e.g. <c>plugin_packages/</c>) confirmed by one HEAD each; beyond this, their key
    /// range is listed again instead (one request per 1,000 keys, skipping gaps between candidates).
    /// </summary>
    public int HeadConfirmationLimit { get; init; } = 100;

    /// <summary>
    /// Identifiers whose installations are read in full in one query, when their digest does not settle the
    /// installation rules (<see cref="InstallationBatch"/>): the groups of one batch are what it holds in memory.
    /// </summary>
    public int InstallationBatch { get; init; } = 1000;
}
