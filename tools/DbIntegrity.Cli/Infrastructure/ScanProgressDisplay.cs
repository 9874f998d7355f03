using DbIntegrity.Core.Scanning;
using Spectre.Console;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>
/// Shows scan progress on stderr: a live status line on a terminal, one line per phase otherwise (CI logs). stdout is
/// never touched, so --format json output stays clean.
/// </summary>
internal static class ScanProgressDisplay
{
    public static async Task<T> RunAsync<T>(CliContext context, Func<IProgress<ScanProgress>, Task<T>> work)
    {
        var console = context.Diagnostics;
        if (console.Profile.Out.IsTerminal && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            return await console.Status().Spinner(Spinner.Known.Dots).StartAsync("starting", async status =>
                await work(new Progress<ScanProgress>(p => status.Status(Markup.Escape(p.Items > 0 ? $"{p.Phase} ({p.Items:N0})" : p.Phase)))));
        }

        // In logs, one line per phase; the part after ':' (the rule being run) is only shown on a terminal.
        string? last = null;
        return await work(new SynchronousProgress(p =>
        {
            var phase = p.Phase.Split(':')[0];
            if (phase != last)
            {
                last = phase;
                console.MarkupLineInterpolated($"[grey]{phase}[/]");
            }
        }));
    }

    // Progress<T> posts to the thread pool; phase lines must come out in order.
    private sealed class SynchronousProgress(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        private readonly Lock _lock = new();

        public void Report(ScanProgress value)
        {
            lock (_lock)
            {
                report(value);
            }
        }
    }
}
