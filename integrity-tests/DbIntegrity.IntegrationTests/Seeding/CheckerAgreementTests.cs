using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Seeding;

/// <summary>The checker and the seeder read the reference the same way: a seeded healthy deployment scans clean.</summary>
[Category("Integration")]
[TestFixtureSource(typeof(DaemonSchema), nameof(DaemonSchema.Versions))]
public sealed class CheckerAgreementTests(string version)
{
    [Test]
    public async Task A_deep_scan_of_a_healthy_deployment_finds_only_the_harmless_orphans()
    {
        await using var context = await SeedingContext.CreateAsync(version);
        var deployment = await HealthyDeployment.SeedAsync(context.Seeder, CancellationToken.None);

        // Grace zero: the objects were written just now, and nothing may hide as "in flight".
        var report = await IntegrityScanner.ScanAsync(
            new DeploymentReader(context.Database.DataSource, context.Bucket.Store, StorageLayout.Default), new ScanOptions { Deep = true, Grace = TimeSpan.Zero }, progress: null, CancellationToken.None);

        var serious = report.Findings.Where(f => f.Severity != Severity.Info).Select(f => $"{f.Rule}: {f.Message}");
        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(ScanStatus.Consistent), report.IncompleteReason);
            Assert.That(serious, Is.Empty);
            Assert.That(report.Findings.Where(f => f.ObjectKey?.StartsWith("plugin_packages/", StringComparison.Ordinal) == true).Select(f => f.Identifier),
                Is.SubsetOf(deployment.UploadedOnly.Select(u => u.Identifier.Value)), "only uploaded-only packages are orphans");
        });
        await TestContext.Out.WriteLineAsync(string.Join("\n", report.Findings.Select(f => $"{f.Severity} {f.Rule}: {f.Message}")));
    }
}
