using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Tests.Backup;

public sealed class BackupLocationTests
{
    private const string Sum = "3f2a9c1d5e7b8a0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c";

    [TestCase(null, "dify-plugins", "dbintegrity-backups")]
    [TestCase("ops/backups/", "dify-plugins", "ops/backups")]
    [TestCase("s3://plugin-backups", "plugin-backups", "")]
    [TestCase("s3://plugin-backups//dify/prod", "plugin-backups", "dify/prod")]
    public void A_location_is_a_prefix_in_the_daemon_bucket_or_an_s3_url(string? text, string bucket, string prefix)
    {
        var location = BackupLocation.Parse(text, "dify-plugins");

        Assert.That((location.Bucket, location.Prefix), Is.EqualTo((bucket, prefix)));
    }

    [Test]
    public void Copies_keep_the_daemon_key_under_objects_of_the_backup()
    {
        var backup = BackupLocation.Parse("s3://b/p", "x").Child("backup-1");

        Assert.That(backup.ObjectKey("plugin/a/b:1.0.0@" + Sum), Is.EqualTo("p/backup-1/objects/plugin/a/b:1.0.0@" + Sum));
        Assert.That(backup.ToString(), Is.EqualTo("s3://b/p/backup-1"));
    }

    [TestCase("plugin/backups")]
    [TestCase("assets")]
    [TestCase("")]
    public void Backups_may_not_land_among_the_daemons_own_objects(string prefix)
    {
        var location = new BackupLocation("dify-plugins", prefix);

        Assert.Throws<ConfigurationException>(() => location.EnsureOutside("dify-plugins", StorageLayout.Default));
        Assert.DoesNotThrow(() => location.EnsureOutside("another-bucket", StorageLayout.Default));
    }

    [TestCase("s3://", "names no bucket")]
    [TestCase("backups/../plugin", "no . or .. segments")]
    public void A_malformed_location_is_a_usage_error(string text, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => BackupLocation.Parse(text, "dify-plugins"));

        Assert.That(error!.Message, Does.Contain(message));
    }

    [TestCase("plugin_packages/a/b:1.0.0@" + Sum, BackupObjectKind.Package)]
    [TestCase("plugin/a/b:1.0.0@" + Sum, BackupObjectKind.Installed)]
    [TestCase("plugin/a/b_1.0.0@" + Sum, BackupObjectKind.Other)]
    [TestCase("plugin/", BackupObjectKind.Other)]
    [TestCase("assets/abc.svg", BackupObjectKind.Asset)]
    public void An_object_counts_as_a_package_or_marker_only_when_its_key_is_an_identifier(string key, BackupObjectKind kind) =>
        Assert.That(ObjectKinds.Of(key, StorageLayout.Default), Is.EqualTo(kind));
}
