using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Tests.Configuration;

public sealed class SettingsTests
{
    private static SettingsSource Source(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    [Test]
    public void Database_settings_come_from_the_daemon_variables_with_its_defaults()
    {
        var settings = DatabaseSettings.FromDaemonVariables(Source(("DB_HOST", "db.internal"), ("DB_USERNAME", "dify"), ("DB_PASSWORD", "s3cr3t-pw")));

        Assert.Multiple(() =>
        {
            Assert.That(settings.Host, Is.EqualTo("db.internal"));
            Assert.That(settings.Port, Is.EqualTo(5432));
            Assert.That(settings.Database, Is.EqualTo("dify_plugin"));
            Assert.That(settings.Describe(), Is.EqualTo("dify@db.internal:5432/dify_plugin"));
            Assert.That(settings.ToString(), Does.Not.Contain("s3cr3t-pw"));
        });
    }

    [Test]
    public void Database_settings_without_a_host_name_the_variables_to_set()
    {
        var ex = Assert.Throws<ConfigurationException>(() => DatabaseSettings.FromDaemonVariables(Source()));

        Assert.That(ex!.Message, Does.Contain("DB_HOST").And.Contain(HostWords.Of(UserOption.DatabaseConnection)));
    }

    [Test]
    public void MySQL_is_refused_with_a_clear_message()
    {
        var ex = Assert.Throws<ConfigurationException>(() => DatabaseSettings.FromDaemonVariables(Source(("DB_TYPE", "mysql"), ("DB_HOST", "x"))));

        Assert.That(ex!.Message, Does.Contain("DB_TYPE=mysql"));
    }

    [TestCase("postgres://dify:p%40ss-word@db:6432/plugins?sslmode=require", "dify@db:6432/plugins")]
    [TestCase("Host=db;Port=6432;Username=dify;Password=p@ss-word;Database=plugins", "dify@db:6432/plugins")]
    [TestCase("Host=db;Username=dify;Password=p@ss-word", "dify@db:5432/dify_plugin")]
    public void A_connection_string_or_URI_is_accepted_and_described_without_the_password(string connectionString, string description)
    {
        var settings = DatabaseSettings.FromConnectionString(connectionString);

        Assert.That(settings.Describe(), Is.EqualTo(description));
        Assert.That(settings.Password, Is.EqualTo("p@ss-word"));
    }

    [TestCase("Host=db;Username=dify;Client Encoding=LATIN1")]
    [TestCase("postgres://dify@db:5432/dify_plugin?Client%20Encoding=GBK")]
    [TestCase("Host=db;Username=dify")]
    public void Text_is_read_as_UTF8_whatever_client_encoding_the_connection_string_asks_for(string connectionString)
    {
        var settings = DatabaseSettings.FromConnectionString(connectionString);

        Assert.That(new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString).ClientEncoding, Is.EqualTo("UTF8"));
    }

    [Test]
    public void A_malformed_connection_string_error_does_not_echo_it()
    {
        var ex = Assert.Throws<ConfigurationException>(() => DatabaseSettings.FromConnectionString("Host=db;Password=hunter2-secret;Bogus Key=1"));

        Assert.That(ex!.Message, Does.Not.Contain("hunter2-secret"));
        Assert.That(ex.InnerException, Is.Null);
    }

    [Test]
    public void Storage_settings_read_the_daemon_variables_and_clean_the_prefixes()
    {
        var settings = StorageSettings.FromDaemonVariables(Source(
            ("PLUGIN_STORAGE_OSS_BUCKET", "dify"),
            ("S3_ENDPOINT", "http://minio:9000"),
            ("S3_USE_PATH_STYLE", "false"),
            ("AWS_ACCESS_KEY", "AKIA"),
            ("AWS_SECRET_KEY", "very-secret-key"),
            ("PLUGIN_INSTALLED_PATH", "./plugin/"),
            ("PLUGIN_PACKAGE_CACHE_PATH", "cache//packages")));

        Assert.Multiple(() =>
        {
            Assert.That(settings.Kind, Is.EqualTo(StorageKind.S3));
            Assert.That(settings.RequireS3().Bucket, Is.EqualTo("dify"));
            Assert.That(settings.RequireS3().Endpoint, Is.EqualTo(new Uri("http://minio:9000")));
            Assert.That(settings.RequireS3().UsePathStyle, Is.False);
            Assert.That(settings.RequireS3().HasStaticCredentials, Is.True);
            Assert.That(settings.Layout.InstalledKey("a/b:1.0.0@x"), Is.EqualTo("plugin/a/b:1.0.0@x"));
            Assert.That(settings.Layout.PackagePath, Is.EqualTo("cache/packages"));
            Assert.That(settings.ToString(), Does.Not.Contain("very-secret-key"));
        });
    }

    [TestCase("local")]
    [TestCase("local_file")]
    public void Local_storage_reads_the_root_and_needs_no_bucket(string type)
    {
        var settings = StorageSettings.FromDaemonVariables(Source(("PLUGIN_STORAGE_TYPE", type), ("PLUGIN_STORAGE_LOCAL_ROOT", "/app/storage")));

        Assert.Multiple(() =>
        {
            Assert.That(settings.Kind, Is.EqualTo(StorageKind.Local));
            Assert.That(settings.RequireLocal().Root, Is.EqualTo(Path.GetFullPath("/app/storage")));
            Assert.That(settings.S3, Is.Null);
            Assert.That(settings.Secrets, Is.Empty);
            Assert.That(settings.Describe(), Does.Contain("/app/storage"));
        });
    }

    [Test]
    public void Local_storage_defaults_to_the_daemons_storage_folder()
    {
        var settings = StorageSettings.FromDaemonVariables(Source(("PLUGIN_STORAGE_TYPE", "local")));

        Assert.That(settings.RequireLocal().Root, Is.EqualTo(Path.GetFullPath(LocalStorageSettings.DefaultRoot)));
    }

    [Test]
    public void An_unset_type_stays_s3_when_a_bucket_is_set_and_is_local_when_only_a_root_is()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StorageSettings.FromDaemonVariables(Source(("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("PLUGIN_STORAGE_LOCAL_ROOT", "/x"))).Kind, Is.EqualTo(StorageKind.S3));
            Assert.That(StorageSettings.FromDaemonVariables(Source(("PLUGIN_STORAGE_LOCAL_ROOT", "/x"))).Kind, Is.EqualTo(StorageKind.Local));
            Assert.That(() => StorageSettings.FromDaemonVariables(Source(("PLUGIN_STORAGE_TYPE", "local"))).RequireS3(), Throws.TypeOf<ConfigurationException>());
        });
    }

    [Test]
    public void Managed_identity_ignores_static_keys()
    {
        var settings = StorageSettings.FromDaemonVariables(Source(
            ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("AWS_ACCESS_KEY", "AKIA"), ("AWS_SECRET_KEY", "k"), ("S3_USE_AWS_MANAGED_IAM", "true")));

        Assert.That(settings.RequireS3().HasStaticCredentials, Is.False);
    }

    [TestCase("PLUGIN_STORAGE_TYPE", "azure_blob", "PLUGIN_STORAGE_TYPE=azure_blob")]
    [TestCase("S3_USE_PATH_STYLE", "maybe", "S3_USE_PATH_STYLE=maybe")]
    [TestCase("PLUGIN_INSTALLED_PATH", "/", "PLUGIN_INSTALLED_PATH")]
    [TestCase("PLUGIN_MEDIA_CACHE_PATH", "plugin/assets", "overlap")]
    public void Bad_storage_settings_are_configuration_errors_naming_the_variable(string key, string value, string expected)
    {
        var source = Source(("PLUGIN_STORAGE_OSS_BUCKET", "dify"), (key, value));

        var ex = Assert.Throws<ConfigurationException>(() => StorageSettings.FromDaemonVariables(source));

        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void A_bad_endpoint_is_named_but_its_value_not_echoed_since_it_may_hold_a_password()
    {
        var source = Source(("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("S3_ENDPOINT", "ftp://key:endpoint-secret@minio.local"));

        var ex = Assert.Throws<ConfigurationException>(() => StorageSettings.FromDaemonVariables(source));

        Assert.That(ex!.Message, Does.Contain("S3_ENDPOINT").And.Not.Contain("endpoint-secret"));
    }

    [Test]
    public void The_storage_description_drops_credentials_in_the_endpoint_url()
    {
        var settings = StorageSettings.FromDaemonVariables(Source(("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("S3_ENDPOINT", "https://minio:topsecret-42@minio.local:9000/")));

        Assert.That(settings.Describe(), Is.EqualTo("s3://dify at https://minio.local:9000"));
        Assert.That(settings.RequireS3().EndpointPassword, Is.EqualTo("topsecret-42"));
        Assert.That(settings.Secrets, Does.Contain("topsecret-42"));
    }

    [Test]
    public void The_redactor_blanks_every_known_secret_and_short_ones_where_they_stand_alone()
    {
        var redactor = new SecretRedactor();
        redactor.Add("hunter2-secret");
        redactor.Add("ab");

        Assert.That(redactor.Redact("password=hunter2-secret ab about;ab"), Is.EqualTo("password=*** *** about;***"));
    }

    [Test]
    public void The_redactor_knows_the_secrets_of_the_invocation_before_any_argument_is_parsed()
    {
        var redactor = new SecretRedactor();

        redactor.AddFromInvocation(
            ["check", "postgres://u:uri-pass@db/dify", "--db=Host=h;Username=u;Password=flag-pass", "--grace", "0"],
            Source(("DB_PASSWORD", "env-pass"), ("AWS_SECRET_KEY", "s3-secret")));

        Assert.That(redactor.Redact("uri-pass flag-pass env-pass s3-secret"), Is.EqualTo("*** *** *** ***"));
    }

    [Test]
    public void A_DB_EXTRAS_entry_without_equals_is_not_echoed_because_it_may_be_part_of_a_password()
    {
        var source = Source(("DB_HOST", "db"), ("DB_EXTRAS", "password=first half-of-the-password"));

        var ex = Assert.Throws<ConfigurationException>(() => DatabaseSettings.FromDaemonVariables(source));

        Assert.That(ex!.Message, Does.Contain("DB_EXTRAS entry 2 of 2").And.Not.Contain("half-of-the-password"));
    }
}
