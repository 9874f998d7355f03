using System.ComponentModel;
using DbIntegrity.Core.Baselines;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Scanning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Flags of every command that runs the integrity check: check, gate and <c>migrate up --gate</c>.</summary>
public class ScanCommandSettings : ReportCommandSettings
{
    [CommandOption("--deep")]
    [Description("Also download packages: recompute checksums, read manifests.")]
    public bool Deep { get; init; }

    [CommandOption("--deep-parallelism <N>")]
    [Description("Packages downloaded at once with --deep.")]
    [DefaultValue(ScanOptions.DefaultDeepParallelism)]
    public int DeepParallelism { get; init; } = ScanOptions.DefaultDeepParallelism;

    [CommandOption("--grace <DURATION>")]
    [Description($"Rows and objects younger than this are in flight, not broken (default {ScanOptions.DefaultGrace}; 0 turns it off).")]
    [DefaultValue(ScanOptions.DefaultGrace)]
    public string Grace { get; init; } = ScanOptions.DefaultGrace;

    [CommandOption("--rules <IDS>")]
    [Description("Only these rules, comma-separated.")]
    public string? Rules { get; init; }

    [CommandOption("--timeout <DURATION>")]
    [Description($"Give up (exit 3) if the scan takes longer (default {ScanOptions.DefaultTimeout}; 0 means no limit).")]
    [DefaultValue(ScanOptions.DefaultTimeout)]
    public string Timeout { get; init; } = ScanOptions.DefaultTimeout;

    [CommandOption("--baseline <FILE>")]
    [Description("Accept the findings listed in FILE (written by check --write-baseline): they are shown as accepted and fail nothing; new ones fail.")]
    public string? Baseline { get; init; }

    public override ValidationResult Validate() =>
        DeepParallelism is < 1 or > 64 ? ValidationResult.Error("--deep-parallelism must be between 1 and 64.") : base.Validate();

    public ScanOptions ToScanOptions() => BuildScanOptions(Deep, DeepParallelism, Grace, Timeout, Rules);

    /// <summary>The scan options from the flags as typed; shared with commands whose other flags differ (repair plan).</summary>
    internal static ScanOptions BuildScanOptions(bool deep, int deepParallelism, string grace, string timeout, string? rules) => new()
    {
        Deep = deep,
        DeepParallelism = deepParallelism,
        Grace = Durations.Parse(grace, "--grace"),
        Timeout = Durations.Parse(timeout, "--timeout") is { } t && t > TimeSpan.Zero ? t : null,
        Rules = rules?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
    };

    /// <summary>The --baseline file, read before any work starts so that a bad path fails fast (exit 2).</summary>
    public async Task<BaselineFile?> LoadBaselineAsync(CancellationToken cancellationToken) =>
        Baseline is null ? null : await BaselineFile.LoadAsync(Baseline, cancellationToken);
}
