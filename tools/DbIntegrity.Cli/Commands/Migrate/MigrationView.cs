using System.Globalization;
using DbIntegrity.Core.Migrating;
using Spectre.Console;

namespace DbIntegrity.Cli.Commands.Migrate;

/// <summary>How the migrate commands print their results: tables on stdout, SQL as plain unwrapped text.</summary>
internal static class MigrationView
{
    public static void WriteStatus(IAnsiConsole console, MigrationStatus status, string database)
    {
        switch (status.Versioning)
        {
            case DatabaseVersioning.Empty:
                console.MarkupLineInterpolated($"{database}: [yellow]empty[/] (no daemon tables, no {VersionTableName}). dbintegrity migrate up creates the schema.");
                break;
            case DatabaseVersioning.Unversioned:
                console.MarkupLineInterpolated($"{database}: [yellow]unversioned[/] (daemon tables, no {VersionTableName}): the daemon made it.");
                if (status.Recognition is { } recognition)
                {
                    WriteRecognition(console, recognition);
                }

                console.MarkupLine("Run [bold]dbintegrity migrate baseline[/] to record that version, then migrate up applies what follows.");
                break;
            default:
                var current = status.Current;
                console.MarkupLineInterpolated($"{database}: at migration {current?.Id.ToString(CultureInfo.InvariantCulture) ?? "none"} ({current?.Origin ?? "-"}), {status.Pending.Count()} pending.");
                break;
        }

        var table = new Table().AddColumns("Id", "Daemon version", "Description", "Applied");
        foreach (var state in status.Migrations)
        {
            var applied = state.Applied switch
            {
                null => "[yellow]pending[/]",
                { IsBaseline: true } a => Markup.Escape($"{Format(a.AppliedOn)} (baseline)"),
                var a => Markup.Escape(Format(a.AppliedOn)),
            };
            table.AddRow(
                state.Migration.Id.ToString(CultureInfo.InvariantCulture),
                state.Migration.DaemonVersion?.ToString() ?? "operator",
                Markup.Escape(state.Migration.Description),
                applied);
        }

        foreach (var unknown in status.UnknownApplied)
        {
            table.AddRow(unknown.Id.ToString(CultureInfo.InvariantCulture), "?", Markup.Escape(unknown.Description ?? "(not in this build)"), Markup.Escape(Format(unknown.AppliedOn)));
        }

        console.Write(table);
    }

    public static void WriteRecognition(IAnsiConsole console, SchemaRecognition recognition)
    {
        console.MarkupLineInterpolated($"It looks like daemon [bold]{recognition.Version}[/].");
        if (recognition.Leftovers.Count > 0)
        {
            console.MarkupLineInterpolated($"Legacy leftovers (expected in long-lived databases): {string.Join(", ", recognition.Leftovers)}.");
        }

        if (recognition.HasDrift)
        {
            console.MarkupLineInterpolated($"[red]Drift[/] against daemon {recognition.Version} ({recognition.Drift.Count}):");
            foreach (var drift in recognition.Drift)
            {
                console.MarkupLineInterpolated($"  - {drift}");
            }
        }
        else
        {
            console.MarkupLine("No drift: every piece of that schema is present.");
        }
    }

    /// <summary>SQL goes to the raw writer so that it is never wrapped to the console width and can be piped to psql.</summary>
    public static void WriteScripts(IAnsiConsole console, IReadOnlyList<MigrationScript> scripts)
    {
        var writer = console.Profile.Out.Writer;
        if (scripts.Count == 0)
        {
            writer.WriteLine("-- nothing to run");
            return;
        }

        foreach (var script in scripts)
        {
            var direction = script.Direction == MigrationDirection.Up ? "up" : "down";
            writer.WriteLine($"-- {script.Migration.Id} {direction} ({script.Migration.Origin}): {script.Migration.Description}");
            foreach (var statement in script.Statements)
            {
                writer.WriteLine(statement.TrimEnd().EndsWith(';') ? statement.TrimEnd() : statement.TrimEnd() + ";");
            }

            writer.WriteLine($"-- and {(script.Direction == MigrationDirection.Up ? "records" : "deletes")} version {script.Migration.Id} in {VersionTableName}");
            writer.WriteLine();
        }

        writer.Flush();
    }

    public static void WriteRun(IAnsiConsole console, MigrationRunResult result)
    {
        var verb = result.Direction == MigrationDirection.Up ? "applied" : "reverted";
        foreach (var migration in result.Executed)
        {
            console.MarkupLineInterpolated($"{verb} {migration.Id}: {migration.Description}");
        }

        var now = result.Current is { } current ? $"migration {current.Id} ({current.Origin})" : "no migration applied";
        console.MarkupLineInterpolated($"{(result.Executed.Count == 0 ? "Nothing to do" : $"{result.Executed.Count} migration(s) {verb}")}; the database is at {now}.");
    }

    private const string VersionTableName = "dbintegrity_version_info";

    private static string Format(DateTime? appliedOn) =>
        appliedOn?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "applied";
}
