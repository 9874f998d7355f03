using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Seeding;

/// <summary>How the checker's tests use a seeded deployment: seed it, break one thing through the record, scan.</summary>
[Category("Integration")]
public sealed class FaultInjectionTests
{
    [Test]
    public async Task Seeding_again_gives_the_same_identifiers()
    {
        await using var first = await SeedingContext.CreateAsync();
        await using var second = await SeedingContext.CreateAsync();

        var one = await HealthyDeployment.SeedAsync(first.Seeder, CancellationToken.None);
        var two = await HealthyDeployment.SeedAsync(second.Seeder, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(two.Uploads.Select(u => u.Identifier.Value), Is.EqualTo(one.Uploads.Select(u => u.Identifier.Value)));
            Assert.That(two.Installations.Select(i => (i.TenantId, i.Identifier.Value)), Is.EqualTo(one.Installations.Select(i => (i.TenantId, i.Identifier.Value))));
        });
    }

    [Test]
    public async Task A_fault_injected_through_the_record_is_the_one_error_the_checker_reports()
    {
        await using var context = await SeedingContext.CreateAsync();
        var deployment = await HealthyDeployment.SeedAsync(context.Seeder, CancellationToken.None);
        var google = deployment.Installation(HealthyDeployment.Tenant(0), HealthyDeployment.Plugins.Google);

        await context.Bucket.Store.DeleteAsync(google.InstalledKey!, CancellationToken.None);
        var report = await IntegrityScanner.ScanAsync(
            new DeploymentReader(context.Database.DataSource, context.Bucket.Store, StorageLayout.Default), new ScanOptions { Grace = TimeSpan.Zero }, progress: null, CancellationToken.None);

        var errors = report.Findings.Where(f => f.Severity == Severity.Error).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(ScanStatus.Inconsistent));
            Assert.That(errors.Select(f => f.ObjectKey ?? f.Identifier), Is.All.Contains(google.Identifier.Value), string.Join("\n", errors.Select(f => $"{f.Rule}: {f.Message}")));
            Assert.That(errors, Is.Not.Empty);
        });
    }
}
