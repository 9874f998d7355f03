using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;

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

    [TestCase(null, "/srv/storage/dbintegrity-backups")]
    [TestCase("ops/backups", "/srv/storage/ops/backups")]
    [TestCase("/srv/storage/ops/backups/", "/srv/storage/ops/backups")]
    [TestCase("/srv/storage/ops/../dbi", "/srv/storage/dbi")]
    public void A_local_backup_prints_as_a_path_under_the_root_that_reads_back_as_the_same_location(string? text, string printed)
    {
        var location = BackupLocation.Parse(text, "/srv/storage", scheme: BackupLocation.FileScheme);

        Assert.That(location.ToString(), Is.EqualTo(printed), "never s3:///");
        Assert.That(BackupLocation.Parse(location.ToString(), "/srv/storage", scheme: BackupLocation.FileScheme), Is.EqualTo(location));
        Assert.That(location.Child("backup-1").ToString(), Is.EqualTo(printed + "/backup-1"));
    }

    [Test]
    public void An_azure_backup_prints_as_an_azure_url_that_reads_back_as_the_same_location()
    {
        var location = BackupLocation.Parse(null, "dify-plugins", scheme: BackupLocation.AzureScheme).Child("repair-1");

        Assert.That(location.ToString(), Is.EqualTo("azure://dify-plugins/dbintegrity-backups/repair-1"));
        Assert.That(BackupLocation.Parse(location.ToString(), "other", scheme: BackupLocation.AzureScheme), Is.EqualTo(location));
    }

    [Test]
    public void The_store_decides_how_a_location_is_written()
    {
        using var local = new LocalObjectStore("/srv/storage");

        Assert.That(BackupLocation.Parse(null, local).ToString(), Is.EqualTo("/srv/storage/dbintegrity-backups"));
        Assert.That(BackupLocation.SchemeOf(local), Is.EqualTo(BackupLocation.FileScheme));
    }

    [TestCase("/srv/storage/plugin/backups")]
    [TestCase("/srv/storage/plugin_packages")]
    [TestCase("/srv/storage/assets/x")]
    [TestCase("/srv/storage/persistence")]
    [TestCase("/srv/storage/cwd/backups")]
    [TestCase("/srv/storage/.dbintegrity-tmp")]
    [TestCase("plugin")]
    [TestCase("cwd")]
    public void Local_backups_may_not_land_in_the_daemons_folders_or_its_working_folders(string text)
    {
        var location = BackupLocation.Parse(text, "/srv/storage", scheme: BackupLocation.FileScheme);

        var error = Assert.Throws<ConfigurationException>(() => location.EnsureOutside("/srv/storage", StorageLayout.Default));
        Assert.That(error!.Message, Does.Contain("choose another prefix").And.Not.Contain("s3://"));
    }

    [TestCase("/srv/storage", "not a folder under the storage root")]
    [TestCase("/srv/other/backups", "not a folder under the storage root")]
    [TestCase("/srv/storage-2/backups", "not a folder under the storage root")]
    [TestCase("s3://bucket/backups", "the daemon's storage is a local folder")]
    [TestCase("azure://container/backups", "the daemon's storage is a local folder")]
    public void A_local_backup_outside_the_root_or_in_another_store_is_a_usage_error(string text, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => BackupLocation.Parse(text, "/srv/storage", scheme: BackupLocation.FileScheme));

        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void An_s3_url_for_an_azure_store_is_a_usage_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => BackupLocation.Parse("s3://b/p", "dify-plugins", scheme: BackupLocation.AzureScheme));

        Assert.That(error!.Message, Does.Contain("azure://container/prefix"));
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
