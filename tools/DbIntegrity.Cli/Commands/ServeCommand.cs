using System.ComponentModel;
using System.Globalization;
using System.Net;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Cli.Rendering;
using DbIntegrity.Cli.Serving;
using DbIntegrity.Core;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.History;
using DbIntegrity.Core.Scanning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

internal sealed class ServeSettings : ScanCommandSettings
{
    // One source per default: the flag's description, its help DEFAULT column and the property all read these.
    public const string DefaultListen = "127.0.0.1:8080";
    public const string DefaultInterval = "15m";
    public const string DefaultJitter = "1m";
    public const int DefaultUnreadyAfter = 3;
    public const int DefaultHistory = 50;

    [CommandOption("--listen <ADDRESS>")]
    [Description($"Address and port to serve on (default {DefaultListen}; 0.0.0.0:8080 inside a container, behind the cluster's auth).")]
    [DefaultValue(DefaultListen)]
    public string Listen { get; init; } = DefaultListen;

    [CommandOption("--interval <DURATION>")]
    [Description($"Time between the end of one scan and the start of the next (default {DefaultInterval}).")]
    [DefaultValue(DefaultInterval)]
    public string Interval { get; init; } = DefaultInterval;

    [CommandOption("--jitter <DURATION>")]
    [Description($"Add up to this much, at random, to each wait (default {DefaultJitter}).")]
    [DefaultValue(DefaultJitter)]
    public string Jitter { get; init; } = DefaultJitter;

    [CommandOption("--unready-after <N>")]
    [Description("/readyz fails after N scans in a row did not complete.")]
    [DefaultValue(DefaultUnreadyAfter)]
    public int UnreadyAfter { get; init; } = DefaultUnreadyAfter;

    [CommandOption("--ready-window <DURATION>")]
    [Description("/readyz fails when no scan completed within this window (default: 3 intervals + --timeout).")]
    public string? ReadyWindow { get; init; }

    [CommandOption("--history <N>")]
    [Description("Runs the status page's chart shows.")]
    [DefaultValue(DefaultHistory)]
    public int History { get; init; } = DefaultHistory;

    [CommandOption("--no-record")]
    [Description("Keep the run history in memory even where the role may write dbintegrity_check_runs.")]
    public bool NoRecord { get; init; }

    [CommandOption("--webhook <URL>")]
    [Description("Slack-compatible webhook told when the verdict changes. Default: DBINTEGRITY_WEBHOOK_URL. Never printed.")]
    public string? Webhook { get; init; }

    public override ValidationResult Validate()
    {
        if (!string.Equals(Format, ReportFormats.Default, StringComparison.OrdinalIgnoreCase) || Output is not null)
        {
            return ValidationResult.Error("serve has no --format or --output: its report is at /api/report and its metrics at /metrics.");
        }

        if (UnreadyAfter < 1)
        {
            return ValidationResult.Error("--unready-after must be at least 1.");
        }

        return History is < 2 or > 1000 ? ValidationResult.Error("--history must be between 2 and 1000.") : base.Validate();
    }

    public ServeOptions ToServeOptions(CliContext context, ScanOptions scan)
    {
        var interval = Durations.Parse(Interval, "--interval");
        if (interval < TimeSpan.FromSeconds(1))
        {
            throw new ConfigurationException($"--interval {Interval} is too short: use at least 1s (e.g. 15m).");
        }

        var webhook = Webhook ?? context.Environment.Get("DBINTEGRITY_WEBHOOK_URL");
        context.Redactor.Add(webhook);
        Uri? webhookUri = null;
        if (!string.IsNullOrWhiteSpace(webhook) && (!Uri.TryCreate(webhook, UriKind.Absolute, out webhookUri) || webhookUri.Scheme is not ("https" or "http")))
        {
            // The URL is a secret (Slack's carries its token): the message does not repeat it.
            throw new ConfigurationException("--webhook / DBINTEGRITY_WEBHOOK_URL is not an http(s) URL; give the incoming webhook's full URL.");
        }

        return new ServeOptions
        {
            Listen = ParseListen(Listen),
            Interval = interval,
            Jitter = Durations.Parse(Jitter, "--jitter"),
            UnreadyAfter = UnreadyAfter,
            // --timeout 0 (no limit) still needs a bound here: the default scan timeout stands in for it.
            ReadyWindow = ReadyWindow is { } window ? Durations.Parse(window, "--ready-window") : (3 * interval) + (scan.Timeout ?? Durations.Parse(ScanOptions.DefaultTimeout, "--timeout")),
            HistorySize = History,
            Record = !NoRecord,
            Webhook = webhookUri,
        };
    }

    /// <summary><c>host:port</c> (IPv6 as <c>[::]:port</c>) or a port alone, which means loopback.</summary>
    internal static IPEndPoint ParseListen(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0)
        {
            return endpoint;
        }

        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) && int.TryParse(text["localhost:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        throw new ConfigurationException($"--listen {text} is not an address: use IP:PORT, e.g. 127.0.0.1:8080 (the default) or 0.0.0.0:8080 behind the cluster's auth.");
    }
}

/// <summary>
/// <c>dbintegrity serve</c>: the check on an interval, read-only, with a status page, <c>/api/report</c>,
/// <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>. Runs until SIGTERM or Ctrl+C, then exits 0.
/// </summary>
internal sealed class ServeCommand(CliContext context) : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, ServeSettings settings, CancellationToken cancellationToken)
    {
        var scanOptions = settings.ToScanOptions();
        var options = settings.ToServeOptions(context, scanOptions);
        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        var baseline = await settings.LoadBaselineAsync(cancellationToken);
        await using var connection = DeploymentConnection.Open(database, storage, "dbintegrity serve");
        var dataSource = connection.Deployment.Database;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var log = context.DiagnosticLog();

        var (table, historySource) = options.Record
            ? await CheckRunTable.OpenAsync(dataSource, cancellationToken)
            : (null, "--no-record");
        IReadOnlyList<RunPoint> history = [];
        if (table is not null)
        {
            history = await table.ReadAsync(options.HistorySize, cancellationToken);
        }
        else
        {
            historySource = $"memory of this process ({historySource}); it starts empty on restart";
        }

        var webhook = options.Webhook is { } url ? new VerdictWebhook(url, http, log.Report, context.Present) : null;
        var loop = new ScanLoop(
            ct => CheckCommand.ScanAsync(connection.Deployment.Reader, scanOptions, baseline, null, ct),
            options, table, webhook, log.Report, context.Present, context.Time);
        var metrics = new ServeMetrics();
        loop.Published += metrics.Update;
        loop.Initialize(history, historySource);

        await using var app = ServeHost.Build(loop, metrics, options, context.Present, context.Time);
        await app.StartAsync(cancellationToken);
        context.Diagnostics.MarkupLineInterpolated($"[grey]serving on http://{options.Listen}/ (status page, /api/report, /metrics, /healthz, /readyz); scans every {options.Interval}; history: {historySource}. Read-only; Ctrl+C stops.[/]");
        try
        {
            await loop.RunAsync(cancellationToken);
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(stopping.Token);
        }

        context.Diagnostics.MarkupLine("[grey]stopped.[/]");
        return (int)ExitCode.Success;
    }
}
