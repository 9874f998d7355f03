using System.Text.Json;
using DbIntegrity.Core.Json;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Baselines;

/// <summary>
/// A file of accepted findings, like a linter's baseline: <c>check --write-baseline FILE</c> writes the error and
/// warning findings of a complete scan; <c>--baseline FILE</c> on check, gate and <c>migrate up --gate</c> accepts them,
/// so only new findings fail, and a team can gate today while it repairs old breakage. Info findings never fail
/// anything and are not written.
/// </summary>
public sealed class BaselineFile
{
    private const string FormatName = "dbintegrity-baseline";
    private const int FormatVersion = 1;

    // Version 1 files written before the kebab-case convention (JsonFiles) read unchanged: severities are single words.
    private static readonly JsonSerializerOptions Options = JsonFiles.Options();

    private BaselineFile(string path, IReadOnlyList<BaselineEntry> entries)
    {
        Path = path;
        Entries = entries;
    }

    public string Path { get; }

    public IReadOnlyList<BaselineEntry> Entries { get; }

    /// <summary>Reads a baseline; a missing or malformed file is a <see cref="ConfigurationException"/> (exit 2).</summary>
    public static async Task<BaselineFile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Document? document;
        try
        {
            await using var stream = File.OpenRead(path);
            document = await JsonSerializer.DeserializeAsync<Document>(stream, Options, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot read the baseline {path}: {ex.Message} Write one with: {HostWords.Of(NextStep.WriteBaseline)} {path}");
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"The baseline {path} is not a dbintegrity baseline ({ex.Message}). Write one with: {HostWords.Of(NextStep.WriteBaseline)} {path}");
        }

        if (document is null || document.Format != FormatName || document.Version != FormatVersion || document.Findings is null)
        {
            throw new ConfigurationException(
                $"The baseline {path} is not a version {FormatVersion} {FormatName} file. Write one with: {HostWords.Of(NextStep.WriteBaseline)} {path}");
        }

        var entries = document.Findings
            .Where(f => !string.IsNullOrEmpty(f.Fingerprint))
            .Select(f => new BaselineEntry(f.Fingerprint!, f.Rule ?? string.Empty, f.Severity, f.Message ?? string.Empty))
            .ToList();
        return new BaselineFile(path, entries);
    }

    /// <summary>
    /// Writes the error and warning findings of a complete scan (an incomplete scan has no baseline to give) and returns
    /// how many entries the file holds: one per fingerprint.
    /// </summary>
    public static async Task<int> WriteAsync(string path, ScanReport report, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(report);
        if (report.Status == ScanStatus.Incomplete)
        {
            throw new InvalidOperationException("An incomplete scan cannot be a baseline.");
        }

        var document = new Document
        {
            Format = FormatName,
            Version = FormatVersion,
            CreatedAt = report.StartedAt,
            Database = report.Database,
            Storage = report.Storage,
            Findings = [.. report.Findings
                .Where(f => f.Severity >= Severity.Warning)
                .DistinctBy(f => f.Fingerprint)
                .OrderBy(f => f.Rule, StringComparer.Ordinal).ThenBy(f => f.Fingerprint, StringComparer.Ordinal)
                .Select(f => new DocumentEntry { Fingerprint = f.Fingerprint, Rule = f.Rule, Severity = f.Severity, Message = f.Message })],
        };
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            await using var stream = File.Create(path);
            await JsonSerializer.SerializeAsync(stream, document, Options, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot write the baseline {path}: {ex.Message}");
        }

        return document.Findings.Count;
    }

    /// <summary>Marks the report's findings this baseline accepts and lists the entries that were fixed.</summary>
    public ScanReport Apply(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var found = report.Findings.Select(f => f.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var known = Entries.Select(e => e.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var rulesRun = report.RulesRun.ToHashSet(StringComparer.Ordinal);
        var missing = Entries.Where(e => !found.Contains(e.Fingerprint)).ToList();
        return report with
        {
            Baseline = new BaselineOutcome
            {
                File = Path,
                Accepted = found.Where(known.Contains).ToHashSet(StringComparer.Ordinal),
                // A scan that did not finish proves nothing fixed.
                Fixed = report.Status == ScanStatus.Incomplete ? [] : missing.Where(e => rulesRun.Contains(e.Rule)).ToList(),
                NotChecked = report.Status == ScanStatus.Incomplete ? missing : missing.Where(e => !rulesRun.Contains(e.Rule)).ToList(),
            },
        };
    }

    private sealed class Document
    {
        public string? Format { get; init; }

        public int Version { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public string? Database { get; init; }

        public string? Storage { get; init; }

        public List<DocumentEntry>? Findings { get; init; }
    }

    private sealed class DocumentEntry
    {
        public string? Fingerprint { get; init; }

        public string? Rule { get; init; }

        public Severity Severity { get; init; }

        public string? Message { get; init; }
    }
}
