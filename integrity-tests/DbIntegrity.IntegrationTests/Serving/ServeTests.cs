using System.Net;
using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Rules;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Seeding;
using OpenQA.Selenium;

namespace DbIntegrity.IntegrationTests.Serving;

/// <summary><c>dbintegrity serve</c> against a seeded incident, real PostgreSQL and S3, its page in headless Chromium.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class ServeTests
{
    [Test]
    public async Task Serve_shows_the_incident_turns_consistent_after_the_repair_and_stays_up_marked_stale_when_the_database_goes_down()
    {
        // Given a seeded deployment whose Google installation lost its installed marker (the incident's shape).
        await using var deployment = await DeploymentUnderTest.CreateAsync();
        var google = deployment.Deployment.Installation(HealthyDeployment.Tenant(0), HealthyDeployment.Plugins.Google);
        var marker = await ReadAsync(deployment, google.InstalledKey!);
        await deployment.Bucket.Store.DeleteAsync(google.InstalledKey!, CancellationToken.None);
        var expected = DeploymentUnderTest.Problems(await deployment.ScanAsync());
        Assert.That(expected, Is.Not.Empty, "the fault must produce findings");

        // serve reaches the database through a proxy the test can stop, and tells a webhook that fails once.
        await using var proxy = TcpProxy.Start(deployment.Database.Settings.Host, deployment.Database.Settings.Port);
        await using var webhook = WebhookReceiver.Start(failFirst: 1);
        var environment = CliRunner.Environment(deployment.Database, deployment.Bucket, new Dictionary<string, string?>
        {
            ["DB_HOST"] = "127.0.0.1",
            ["DB_PORT"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DBINTEGRITY_WEBHOOK_URL"] = webhook.Url.ToString(),
        });
        var password = environment.Get("DB_PASSWORD")!;
        await using var serve = ServeProcess.Start(environment, "--interval", "1s", "--jitter", "0", "--grace", "0", "--timeout", "30s", "--unready-after", "2");
        using var chromium = new HeadlessChromium();
        var browser = chromium.WebDriver;
        var bodies = new List<string>();

        // When the first scan finished: /metrics has the incident's findings by rule, the page its verdict and rules.
        await serve.WaitForAsync("ready", async () => (await serve.GetAsync("readyz")).Status == HttpStatusCode.OK);
        var metrics = (await serve.GetAsync("metrics")).Body;
        bodies.Add(metrics);
        var severities = RuleCatalog.Descriptors.ToDictionary(d => d.Id, d => d.Severity.ToString().ToLowerInvariant());
        var samples = ServeProcess.Samples(metrics);
        Assert.Multiple(() =>
        {
            foreach (var (rule, count) in expected)
            {
                Assert.That(samples.GetValueOrDefault($"dbintegrity_check_findings{{rule=\"{rule}\",severity=\"{severities[rule]}\"}}"), Is.EqualTo(count), $"{rule}\n{metrics}");
            }

            Assert.That(samples.GetValueOrDefault("dbintegrity_check_status{status=\"inconsistent\"}"), Is.EqualTo(1), metrics);
            Assert.That(samples.GetValueOrDefault("dbintegrity_check_findings_by_severity{severity=\"error\"}"), Is.EqualTo(expected.Where(e => severities[e.Key] == "error").Sum(e => e.Value)), metrics);
            Assert.That(samples.Keys, Has.Some.StartsWith("dbintegrity_check_rows_read{table=\"plugins\"}"));
            Assert.That(samples.Keys, Has.Some.StartsWith("dbintegrity_check_last_complete_timestamp_seconds"));
        });

        browser.Navigate().GoToUrl(serve.BaseAddress);
        bodies.Add(browser.PageSource);
        var verdict = browser.FindElement(By.Id("verdict"));
        Assert.Multiple(() =>
        {
            Assert.That(verdict.GetDomAttribute("data-status"), Is.EqualTo("inconsistent"));
            Assert.That(verdict.Text, Does.StartWith("inconsistent"));
            Assert.That(browser.FindElements(By.CssSelector("tr.rule")).Select(r => r.GetDomAttribute("data-rule")), Is.SupersetOf(expected.Keys));
            Assert.That(browser.FindElement(By.Id("rules")).Text, Does.Contain(CommandWords.Fill(RuleCatalog.Descriptors.Single(d => d.Id == expected.Keys.First()).Summary)));
            Assert.That(browser.FindElement(By.Id("affected")).Text, Does.Contain(HealthyDeployment.Plugins.Google));
            Assert.That(browser.FindElement(By.Id("history-source")).Text, Does.Contain("table dbintegrity_check_runs"));
        });
        var report = (await serve.GetAsync("api/report")).Body;
        bodies.Add(report);
        using (var json = JsonDocument.Parse(report))
        {
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("inconsistent"));
        }

        // When the marker is put back (the repair), the next scan is consistent and the chart shows both runs.
        await deployment.Bucket.Store.PutAsync(google.InstalledKey!, marker, CancellationToken.None);
        await serve.WaitForAsync("a consistent verdict", async () => (await serve.GetAsync("api/report")).Body.Contains("\"status\": \"consistent\"", StringComparison.Ordinal));
        browser.Navigate().Refresh();
        bodies.Add(browser.PageSource);
        var runs = browser.FindElements(By.CssSelector("#history-chart g.run")).Select(g => g.GetDomAttribute("data-status")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(browser.FindElement(By.Id("verdict")).GetDomAttribute("data-status"), Is.EqualTo("consistent"));
            Assert.That(runs, Does.Contain("inconsistent"));
            Assert.That(runs[^1], Is.EqualTo("consistent"));
            Assert.That(runs.IndexOf("inconsistent"), Is.LessThan(runs.LastIndexOf("consistent")));
        });
        await serve.WaitForAsync("the webhook", () => Task.FromResult(webhook.Received.Count > 0), TimeSpan.FromSeconds(60));
        var message = webhook.Received[0];
        Assert.Multiple(() =>
        {
            Assert.That(webhook.Attempts, Is.GreaterThanOrEqualTo(2), "the first attempt failed and was retried");
            Assert.That(JsonDocument.Parse(message).RootElement.GetProperty("text").GetString(), Does.Contain("from inconsistent to consistent"));
            Assert.That(message, Does.Not.Contain(password));
        });

        // When the database goes down: serve keeps serving, /readyz turns unhealthy after 2 failed scans, and the page
        // keeps the last good report, marked stale.
        await proxy.StopAsync();
        await serve.WaitForAsync("readyz to fail", async () => (await serve.GetAsync("readyz")).Status == HttpStatusCode.ServiceUnavailable);
        var readyz = (await serve.GetAsync("readyz")).Body;
        var health = await serve.GetAsync("healthz");
        metrics = (await serve.GetAsync("metrics")).Body;
        samples = ServeProcess.Samples(metrics);
        browser.Navigate().Refresh();
        bodies.AddRange([readyz, metrics, browser.PageSource]);
        var stale = browser.FindElement(By.Id("verdict"));
        Assert.Multiple(() =>
        {
            Assert.That(readyz, Does.Contain("2 scans in a row did not complete"));
            Assert.That(health.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stale.GetDomAttribute("data-status"), Is.EqualTo("consistent"));
            Assert.That(stale.GetDomAttribute("data-stale"), Is.EqualTo("true"));
            Assert.That(browser.FindElement(By.Id("stale")).Text, Does.Contain("did not complete"));
            Assert.That(browser.FindElements(By.CssSelector("#history-chart g.run[data-status='incomplete']")), Is.Not.Empty);
            Assert.That(samples.GetValueOrDefault("dbintegrity_check_status{status=\"incomplete\"}"), Is.EqualTo(1), metrics);
            Assert.That(samples.GetValueOrDefault("dbintegrity_serve_stale"), Is.EqualTo(1), metrics);
            Assert.That(samples.GetValueOrDefault("dbintegrity_serve_consecutive_failed_scans"), Is.GreaterThanOrEqualTo(2), metrics);
            Assert.That(bodies, Has.None.Contains(password), "no page or endpoint shows a secret");
        });

        Assert.That(await serve.StopAsync(), Is.EqualTo((int)ExitCode.Success), serve.Log);
        Assert.That(serve.Log, Does.Not.Contain(password).And.Not.Contain(webhook.Url.ToString()));
    }

    private static async Task<byte[]> ReadAsync(DeploymentUnderTest deployment, string key)
    {
        await using var stream = await deployment.Bucket.Store.OpenReadAsync(key, CancellationToken.None) ?? throw new InvalidOperationException($"{key} is not in the bucket");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
