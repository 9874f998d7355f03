using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Migrating;
using Spectre.Console;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>
/// What a command needs from its surroundings: where results go (stdout), where progress and diagnostics go
/// (stderr), and the environment it reads the daemon's settings from. Tests pass their own.
/// </summary>
public sealed class CliContext
{
    public CliContext(IAnsiConsole output, IAnsiConsole diagnostics, SettingsSource environment, TimeProvider? time = null)
    {
        Output = output;
        Diagnostics = diagnostics;
        Environment = environment;
        Time = time ?? TimeProvider.System;
    }

    /// <summary>Results: tables, JSON, reports. With --format json nothing else is written here.</summary>
    public IAnsiConsole Output { get; }

    /// <summary>Progress, warnings and errors.</summary>
    public IAnsiConsole Diagnostics { get; }

    public SettingsSource Environment { get; }

    public TimeProvider Time { get; }

    /// <summary>The migration chain the migrate and gate commands use: the shipped one, or a test's own.</summary>
    public MigrationCatalog Catalog { get; init; } = MigrationCatalog.Default;

    /// <summary>Secret values seen in the settings, so that no message prints them.</summary>
    public SecretRedactor Redactor { get; } = new();

    /// <summary>
    /// Core's text as a person reads it: the CLI's words in place of Core's placeholders (<see cref="CommandWords"/>), then
    /// redacted. Everything Core wrote passes here before it reaches stdout, stderr, a report file or the serve page.
    /// </summary>
    public string Present(string text) => Redactor.Redact(CommandWords.Fill(text));

    /// <summary>Writes a result (JSON or other text) to stdout, redacted: results quote keys, rows and driver errors.</summary>
    public void WriteResult(string text) => Output.Profile.Out.Writer.WriteLine(Present(text));

    /// <summary>Renders a human-readable result view to stdout through the redactor, like <see cref="WriteResult(string)"/>.</summary>
    public void WriteResult(Action<IAnsiConsole> render) => Output.Profile.Out.Writer.Write(Present(ConsoleCapture.Render(Output, render)));

    /// <summary>Progress lines of a long command, grey on stderr, in order, redacted.</summary>
    public IProgress<string> DiagnosticLog() =>
        new LineProgress(line => Diagnostics.MarkupLineInterpolated($"[grey]{Present(line)}[/]"));
}
