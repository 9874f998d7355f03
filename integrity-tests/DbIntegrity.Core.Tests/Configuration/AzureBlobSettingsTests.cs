using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Tests.Configuration;

public sealed class AzureBlobSettingsTests
{
    private const string ConnectionString = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=secret-account-key==;EndpointSuffix=core.windows.net";

    private static SettingsSource Source(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    [Test]
    public void A_connection_string_and_container_are_read_as_the_daemon_reads_them_and_never_described()
    {
        var settings = AzureBlobSettings.FromDaemonVariables(Source(
            ("AZURE_BLOB_STORAGE_CONTAINER_NAME", "dify-plugins"), ("AZURE_BLOB_STORAGE_CONNECTION_STRING", ConnectionString)));

        Assert.That(settings.ContainerName, Is.EqualTo("dify-plugins"));
        Assert.That(settings.ConnectionString, Is.EqualTo(ConnectionString));
        Assert.That(settings.UseManagedIdentity, Is.False);
        Assert.That(settings.ToString(), Does.Not.Contain("secret-account-key").And.Contain("dify-plugins"));
    }

    [Test]
    public void Managed_identity_uses_the_account_url_and_ignores_a_connection_string()
    {
        var settings = AzureBlobSettings.FromDaemonVariables(Source(
            ("AZURE_BLOB_STORAGE_CONTAINER_NAME", "dify-plugins"), ("AZURE_BLOB_STORAGE_USE_MANAGED_IDENTITY", "true"),
            ("AZURE_BLOB_STORAGE_ACCOUNT_URL", "https://acct.blob.core.windows.net/"), ("AZURE_BLOB_STORAGE_CONNECTION_STRING", ConnectionString)));

        Assert.That(settings.UseManagedIdentity, Is.True);
        Assert.That(settings.AccountUrl, Is.EqualTo(new Uri("https://acct.blob.core.windows.net/")));
        Assert.That(settings.ConnectionString, Is.Null);
        Assert.That(settings.Describe(), Is.EqualTo("azure://dify-plugins at https://acct.blob.core.windows.net"));
    }

    [TestCase(new[] { "AZURE_BLOB_STORAGE_CONNECTION_STRING" }, "AZURE_BLOB_STORAGE_CONTAINER_NAME")]
    [TestCase(new[] { "AZURE_BLOB_STORAGE_CONTAINER_NAME" }, "AZURE_BLOB_STORAGE_CONNECTION_STRING")]
    [TestCase(new[] { "AZURE_BLOB_STORAGE_CONTAINER_NAME", "AZURE_BLOB_STORAGE_USE_MANAGED_IDENTITY" }, "AZURE_BLOB_STORAGE_ACCOUNT_URL")]
    public void A_missing_variable_is_named(string[] given, string expected)
    {
        var values = new Dictionary<string, string>
        {
            ["AZURE_BLOB_STORAGE_CONTAINER_NAME"] = "dify-plugins",
            ["AZURE_BLOB_STORAGE_CONNECTION_STRING"] = ConnectionString,
            ["AZURE_BLOB_STORAGE_USE_MANAGED_IDENTITY"] = "true",
        }.Where(kv => given.Contains(kv.Key)).ToDictionary();

        var ex = Assert.Throws<ConfigurationException>(() => AzureBlobSettings.FromDaemonVariables(new SettingsSource(values)));

        Assert.That(ex!.Message, Does.Contain(expected));
        Assert.That(ex.Message, Does.Not.Contain("secret-account-key"));
    }

    [Test]
    public void The_secrets_of_a_connection_string_are_its_key_its_SAS_and_itself()
    {
        var secrets = AzureBlobSettings.SecretsOf("BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;AccountName=devstoreaccount1;AccountKey=k3y==;SharedAccessSignature=sv=2024&sig=abc");

        Assert.That(secrets, Is.EquivalentTo(new[]
        {
            "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;AccountName=devstoreaccount1;AccountKey=k3y==;SharedAccessSignature=sv=2024&sig=abc",
            "k3y==", "sv=2024&sig=abc",
        }));
        Assert.That(AzureBlobSettings.SecretsOf(null), Is.Empty);
    }
}
