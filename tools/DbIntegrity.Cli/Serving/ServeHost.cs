using DbIntegrity.Core.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace DbIntegrity.Cli.Serving;

/// <summary>
/// The HTTP side of serve: <c>/</c> (status page), <c>/api/report</c>, <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>.
/// GET only, nothing that writes; every body goes through the redactor. It listens where --listen says (loopback by
/// default) and has no authentication of its own: put it behind the cluster's (README).
/// </summary>
internal static class ServeHost
{
    public const string StatusPath = "/";
    public const string ReportPath = "/api/report";
    public const string MetricsPath = "/metrics";
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";

    public static WebApplication Build(ScanLoop loop, ServeMetrics metrics, ServeOptions options, Func<string, string> redact, TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        // stdout and stderr belong to the command (scan lines); ASP.NET's own logs would only repeat requests.
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Listen);
        });
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers.CacheControl = "no-store";
            await next(context);
        });

        app.MapGet(StatusPath, (HttpContext context) =>
        {
            context.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
            return Results.Content(redact(StatusPage.Render(loop.Snapshot, options, time.GetUtcNow())), "text/html; charset=utf-8");
        });
        // Streamed (a lost prefix is 10⁵ findings), every string redacted on its way out.
        app.MapGet(ReportPath, (HttpContext context) => loop.Snapshot.Latest is { } report
            ? Results.Stream(body => JsonReportWriter.WriteAsync(report, body, redact, context.RequestAborted), "application/json; charset=utf-8")
            : Results.Content("{\"status\":\"none\",\"reason\":\"the first scan has not finished yet\"}", "application/json; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet(HealthPath, () => Results.Text("ok\n"));
        app.MapGet(ReadyPath, () =>
        {
            var (ready, why) = Readiness.Evaluate(loop.Snapshot, options, time.GetUtcNow());
            return Results.Text(redact(why) + "\n", statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapMetrics(MetricsPath, metrics.Registry);
        return app;
    }
}
