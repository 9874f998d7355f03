using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Tests.Configuration;

public sealed class S3CompatibleCloudsTests
{
    private static StorageSettings Map(params (string Key, string Value)[] values) =>
        StorageSettings.FromDaemonVariables(new SettingsSource(values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal)));

    private static ConfigurationException Refused(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => Map(values))!;

    [TestCase("aliyun")]
    [TestCase("aliyun_oss")]
    public void Aliyun_reaches_the_s3_endpoint_of_its_region_virtual_hosted_with_its_own_keys(string type)
    {
        var settings = Map(("PLUGIN_STORAGE_TYPE", type), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("ALIYUN_OSS_ENDPOINT", "https://oss-cn-hangzhou.aliyuncs.com"),
            ("ALIYUN_OSS_REGION", "cn-hangzhou"), ("ALIYUN_OSS_ACCESS_KEY_ID", "LTAI"), ("ALIYUN_OSS_ACCESS_KEY_SECRET", "oss-secret"), ("ALIYUN_OSS_AUTH_VERSION", "v1"));

        Assert.Multiple(() =>
        {
            Assert.That(settings.S3!.Endpoint, Is.EqualTo(new Uri("https://s3.oss-cn-hangzhou.aliyuncs.com")));
            Assert.That(settings.S3!.Region, Is.EqualTo("cn-hangzhou"));
            Assert.That(settings.S3!.UsePathStyle, Is.False);
            Assert.That(settings.S3!.Bucket, Is.EqualTo("dify"));
            Assert.That(settings.S3!.HasStaticCredentials, Is.True);
            Assert.That((settings.S3!.AccessKey, settings.S3!.SecretKey), Is.EqualTo(("LTAI", "oss-secret")));
            Assert.That(settings.Layout, Is.EqualTo(StorageLayout.Default));
            Assert.That(settings.ToString(), Does.Not.Contain("oss-secret"));
        });
    }

    [TestCase("oss-cn-beijing-internal.aliyuncs.com", "https://s3.oss-cn-beijing-internal.aliyuncs.com/", "cn-beijing")]
    [TestCase("http://oss-ap-southeast-1.aliyuncs.com", "http://s3.oss-ap-southeast-1.aliyuncs.com/", "ap-southeast-1")]
    [TestCase("https://s3.oss-cn-hangzhou.aliyuncs.com", "https://s3.oss-cn-hangzhou.aliyuncs.com/", "cn-hangzhou")]
    public void Aliyun_derives_the_region_from_the_endpoint_when_ALIYUN_OSS_REGION_is_unset(string endpoint, string expected, string region)
    {
        var settings = Map(("PLUGIN_STORAGE_TYPE", "aliyun_oss"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("ALIYUN_OSS_ENDPOINT", endpoint),
            ("ALIYUN_OSS_ACCESS_KEY_ID", "LTAI"), ("ALIYUN_OSS_ACCESS_KEY_SECRET", "s"));

        Assert.That(settings.S3!.Endpoint!.ToString(), Is.EqualTo(expected));
        Assert.That(settings.S3!.Region, Is.EqualTo(region));
    }

    [TestCase("/dify/plugins/", "dify/plugins/plugin", "dify/plugins/plugin_packages", "dify/plugins/assets", "dify/plugins/persistence")]
    [TestCase("tenant", "tenant/plugin", "tenant/plugin_packages", "tenant/assets", "tenant/persistence")]
    [TestCase("/", "plugin", "plugin_packages", "assets", "persistence")]
    public void ALIYUN_OSS_PATH_goes_in_front_of_every_key_as_path_Join_does(string path, string installed, string packages, string media, string persistence)
    {
        var settings = Map(("PLUGIN_STORAGE_TYPE", "aliyun_oss"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("ALIYUN_OSS_ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"),
            ("ALIYUN_OSS_ACCESS_KEY_ID", "LTAI"), ("ALIYUN_OSS_ACCESS_KEY_SECRET", "s"), ("ALIYUN_OSS_PATH", path));

        Assert.That(
            (settings.Layout.InstalledPath, settings.Layout.PackagePath, settings.Layout.MediaPath, settings.Layout.PersistencePath),
            Is.EqualTo((installed, packages, media, persistence)));
        Assert.That(settings.Layout.InstalledKey("a/b:1.0.0@c"), Is.EqualTo(installed + "/a/b:1.0.0@c"));
    }

    [Test]
    public void ALIYUN_OSS_PATH_and_STORAGE_PATH_PREFIX_nest_in_the_daemons_order()
    {
        var settings = Map(("PLUGIN_STORAGE_TYPE", "aliyun_oss"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("ALIYUN_OSS_ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"),
            ("ALIYUN_OSS_ACCESS_KEY_ID", "LTAI"), ("ALIYUN_OSS_ACCESS_KEY_SECRET", "s"), ("ALIYUN_OSS_PATH", "oss-root"), ("STORAGE_PATH_PREFIX", "prod"));

        Assert.That(settings.Layout.PackageKey("a/b:1.0.0@c"), Is.EqualTo("oss-root/prod/plugin_packages/a/b:1.0.0@c"));
    }

    [TestCase("ALIYUN_OSS_ENDPOINT", "https://cdn.example.com", "S3_ENDPOINT")]
    [TestCase("ALIYUN_OSS_CLOUDBOX_ID", "cb-123", "ALIYUN_OSS_CLOUDBOX_ID")]
    [TestCase("ALIYUN_OSS_PATH", "a/../b", "..")]
    public void Aliyun_settings_that_cannot_be_mapped_name_what_to_set(string key, string value, string expected)
    {
        var values = new Dictionary<string, string>
        {
            ["PLUGIN_STORAGE_TYPE"] = "aliyun_oss",
            ["PLUGIN_STORAGE_OSS_BUCKET"] = "dify",
            ["ALIYUN_OSS_ENDPOINT"] = "oss-cn-hangzhou.aliyuncs.com",
            ["ALIYUN_OSS_ACCESS_KEY_ID"] = "LTAI",
            ["ALIYUN_OSS_ACCESS_KEY_SECRET"] = "s",
            [key] = value,
        };

        var ex = Assert.Throws<ConfigurationException>(() => StorageSettings.FromDaemonVariables(new SettingsSource(values)));

        Assert.That(ex!.Message, Does.Contain(expected));
        Assert.That(ex.Message, Does.Not.Contain("cdn.example.com"), "an endpoint may hold credentials, so it is not echoed");
    }

    [Test]
    public void An_explicit_S3_ENDPOINT_and_AWS_REGION_replace_the_derived_ones()
    {
        var settings = Map(("PLUGIN_STORAGE_TYPE", "aliyun"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("ALIYUN_OSS_ENDPOINT", "https://cdn.example.com"),
            ("ALIYUN_OSS_ACCESS_KEY_ID", "LTAI"), ("ALIYUN_OSS_ACCESS_KEY_SECRET", "s"), ("S3_ENDPOINT", "http://127.0.0.1:9000"), ("AWS_REGION", "cn-test"));

        Assert.That(settings.S3!.Endpoint, Is.EqualTo(new Uri("http://127.0.0.1:9000")));
        Assert.That(settings.S3!.Region, Is.EqualTo("cn-test"));
        Assert.That(settings.S3!.AccessKey, Is.EqualTo("LTAI"), "the provider's keys still sign");
    }

    [Test]
    public void An_explicit_S3_ENDPOINT_without_AWS_REGION_is_refused()
    {
        var ex = Refused(("PLUGIN_STORAGE_TYPE", "tencent"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify-1250000000"), ("TENCENT_COS_REGION", "ap-guangzhou"),
            ("TENCENT_COS_SECRET_ID", "AKID"), ("TENCENT_COS_SECRET_KEY", "s"), ("S3_ENDPOINT", "http://127.0.0.1:9000"));

        Assert.That(ex.Message, Does.Contain("AWS_REGION"));
    }

    [TestCase(null, "https://cos.ap-guangzhou.myqcloud.com/")]
    [TestCase("https://dify-1250000000.cos.ap-guangzhou.myqcloud.com", "https://cos.ap-guangzhou.myqcloud.com/")]
    public void Tencent_reaches_the_cos_s3_endpoint_of_its_region(string? bucketUrl, string expected)
    {
        var values = new List<(string, string)>
        {
            ("PLUGIN_STORAGE_TYPE", "tencent_cos"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify-1250000000"), ("TENCENT_COS_REGION", "ap-guangzhou"),
            ("TENCENT_COS_SECRET_ID", "AKID"), ("TENCENT_COS_SECRET_KEY", "cos-secret"),
        };
        if (bucketUrl is not null)
        {
            values.Add(("TENCENT_COS_ENDPOINT", bucketUrl));
        }

        var settings = Map([.. values]);

        Assert.Multiple(() =>
        {
            Assert.That(settings.S3!.Endpoint!.ToString(), Is.EqualTo(expected));
            Assert.That(settings.S3!.Region, Is.EqualTo("ap-guangzhou"));
            Assert.That(settings.S3!.UsePathStyle, Is.False);
            Assert.That((settings.S3!.AccessKey, settings.S3!.SecretKey), Is.EqualTo(("AKID", "cos-secret")));
        });
    }

    [Test]
    public void Tencent_with_a_custom_domain_names_what_to_set()
    {
        var ex = Refused(("PLUGIN_STORAGE_TYPE", "tencent_cos"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify-1250000000"), ("TENCENT_COS_REGION", "ap-guangzhou"),
            ("TENCENT_COS_SECRET_ID", "AKID"), ("TENCENT_COS_SECRET_KEY", "s"), ("TENCENT_COS_ENDPOINT", "https://files.example.com"));

        Assert.That(ex.Message, Does.Contain("TENCENT_COS_ENDPOINT").And.Contain("S3_ENDPOINT").And.Contain("AWS_REGION"));
    }

    [TestCase("huawei", null, false)]
    [TestCase("huawei_obs", "true", true)]
    public void Huawei_uses_its_server_with_the_region_it_names_and_its_path_style(string type, string? pathStyle, bool expectedPathStyle)
    {
        var values = new List<(string, string)>
        {
            ("PLUGIN_STORAGE_TYPE", type), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("HUAWEI_OBS_SERVER", "https://obs.cn-north-4.myhuaweicloud.com"),
            ("HUAWEI_OBS_ACCESS_KEY", "HPUA"), ("HUAWEI_OBS_SECRET_KEY", "obs-secret"),
        };
        if (pathStyle is not null)
        {
            values.Add(("HUAWEI_OBS_PATH_STYLE", pathStyle));
        }

        var settings = Map([.. values]);

        Assert.Multiple(() =>
        {
            Assert.That(settings.S3!.Endpoint, Is.EqualTo(new Uri("https://obs.cn-north-4.myhuaweicloud.com")));
            Assert.That(settings.S3!.Region, Is.EqualTo("cn-north-4"));
            Assert.That(settings.S3!.UsePathStyle, Is.EqualTo(expectedPathStyle));
            Assert.That((settings.S3!.AccessKey, settings.S3!.SecretKey), Is.EqualTo(("HPUA", "obs-secret")));
        });
    }

    [TestCase("tos-cn-beijing.volces.com", "https://tos-s3-cn-beijing.volces.com/", "cn-beijing")]
    [TestCase("https://tos-ap-southeast-1.ivolces.com", "https://tos-s3-ap-southeast-1.ivolces.com/", "ap-southeast-1")]
    [TestCase("https://tos-s3-cn-shanghai.volces.com", "https://tos-s3-cn-shanghai.volces.com/", "cn-shanghai")]
    public void Volcengine_reaches_the_tos_s3_endpoint_virtual_hosted(string endpoint, string expected, string region)
    {
        var settings = Map(("PLUGIN_STORAGE_TYPE", "volcengine_tos"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("VOLCENGINE_TOS_ENDPOINT", endpoint),
            ("VOLCENGINE_TOS_ACCESS_KEY", "AKLT"), ("VOLCENGINE_TOS_SECRET_KEY", "tos-secret"));

        Assert.That(settings.S3!.Endpoint!.ToString(), Is.EqualTo(expected));
        Assert.That(settings.S3!.Region, Is.EqualTo(region));
        Assert.That(settings.S3!.UsePathStyle, Is.False);
        Assert.That((settings.S3!.AccessKey, settings.S3!.SecretKey), Is.EqualTo(("AKLT", "tos-secret")));
    }

    [Test]
    public void Volcengine_prefers_its_region_variable()
    {
        var settings = Map(("PLUGIN_STORAGE_TYPE", "volcengine"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("VOLCENGINE_TOS_ENDPOINT", "tos-cn-beijing.volces.com"),
            ("VOLCENGINE_TOS_REGION", "cn-beijing2"), ("VOLCENGINE_TOS_ACCESS_KEY", "AKLT"), ("VOLCENGINE_TOS_SECRET_KEY", "s"));

        Assert.That(settings.S3!.Region, Is.EqualTo("cn-beijing2"));
    }

    [TestCase("gcs")]
    [TestCase("google_storage")]
    public void GCS_needs_HMAC_keys_and_says_why_GCS_CREDENTIALS_is_not_enough(string type)
    {
        var ex = Refused(("PLUGIN_STORAGE_TYPE", type), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("GCS_CREDENTIALS", "eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0="));

        Assert.That(ex.Message, Does.Contain("GCS_CREDENTIALS").And.Contain("HMAC")
            .And.Contain(S3CompatibleClouds.GcsHmacAccessKeyVariable).And.Contain(S3CompatibleClouds.GcsHmacSecretVariable));
        Assert.That(ex.Message, Does.Not.Contain("eyJ0eXBl"));
    }

    [Test]
    public void GCS_with_HMAC_keys_reaches_the_XML_API()
    {
        var settings = Map(("PLUGIN_STORAGE_TYPE", "gcs"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"),
            (S3CompatibleClouds.GcsHmacAccessKeyVariable, "GOOG1E"), (S3CompatibleClouds.GcsHmacSecretVariable, "hmac-secret"));

        Assert.That(settings.S3!.Endpoint, Is.EqualTo(new Uri("https://storage.googleapis.com")));
        Assert.That(settings.S3!.Region, Is.EqualTo("auto"));
        Assert.That((settings.S3!.AccessKey, settings.S3!.SecretKey), Is.EqualTo(("GOOG1E", "hmac-secret")));
    }

    [Test]
    public void Baidu_BOS_is_refused_with_the_S3_variables_that_reach_it()
    {
        var ex = Refused(("PLUGIN_STORAGE_TYPE", "baidu_bos"), ("PLUGIN_STORAGE_OSS_BUCKET", "dify"));

        Assert.That(ex.Message, Does.Contain("not supported").And.Contain("PLUGIN_STORAGE_TYPE=s3").And.Contain("S3_ENDPOINT"));
    }

    [TestCase("tencent_cos", "TENCENT_COS_SECRET_KEY")]
    [TestCase("huawei_obs", "HUAWEI_OBS_SERVER")]
    [TestCase("volcengine_tos", "VOLCENGINE_TOS_ENDPOINT")]
    [TestCase("aliyun_oss", "ALIYUN_OSS_ENDPOINT")]
    public void A_missing_provider_variable_is_named(string type, string missing)
    {
        var all = new Dictionary<string, string>
        {
            ["PLUGIN_STORAGE_TYPE"] = type,
            ["PLUGIN_STORAGE_OSS_BUCKET"] = "dify",
            ["TENCENT_COS_REGION"] = "ap-guangzhou",
            ["TENCENT_COS_SECRET_ID"] = "id",
            ["TENCENT_COS_SECRET_KEY"] = "s",
            ["HUAWEI_OBS_SERVER"] = "obs.cn-north-4.myhuaweicloud.com",
            ["HUAWEI_OBS_ACCESS_KEY"] = "a",
            ["HUAWEI_OBS_SECRET_KEY"] = "s",
            ["VOLCENGINE_TOS_ENDPOINT"] = "tos-cn-beijing.volces.com",
            ["VOLCENGINE_TOS_ACCESS_KEY"] = "a",
            ["VOLCENGINE_TOS_SECRET_KEY"] = "s",
            ["ALIYUN_OSS_ENDPOINT"] = "oss-cn-hangzhou.aliyuncs.com",
            ["ALIYUN_OSS_ACCESS_KEY_ID"] = "a",
            ["ALIYUN_OSS_ACCESS_KEY_SECRET"] = "s",
        };
        all.Remove(missing);

        var ex = Assert.Throws<ConfigurationException>(() => StorageSettings.FromDaemonVariables(new SettingsSource(all)));

        Assert.That(ex!.Message, Does.Contain(missing));
    }

    [TestCase("dify", "dify/plugin", "dify/persistence")]
    [TestCase("./a//b/", "a/b/plugin", "a/b/persistence")]
    public void STORAGE_PATH_PREFIX_is_joined_in_front_of_the_four_prefixes(string prefix, string installed, string persistence)
    {
        var settings = Map(("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("STORAGE_PATH_PREFIX", prefix), ("PLUGIN_INSTALLED_PATH", "plugin"));

        Assert.That(settings.Layout.InstalledPath, Is.EqualTo(installed));
        Assert.That(settings.Layout.PersistencePath, Is.EqualTo(persistence));
        Assert.That(StorageLayout.ListingPrefix(settings.Layout.MediaPath), Is.EqualTo(installed[..^"plugin".Length] + "assets/"));
    }

    [Test]
    public void STORAGE_PATH_PREFIX_with_dot_dot_is_refused_as_the_daemon_does()
    {
        var ex = Refused(("PLUGIN_STORAGE_OSS_BUCKET", "dify"), ("STORAGE_PATH_PREFIX", "../other"));

        Assert.That(ex.Message, Does.Contain("STORAGE_PATH_PREFIX").And.Contain(".."));
    }

    [Test]
    public void The_redactor_learns_every_cloud_secret_and_the_azure_account_key_from_the_environment()
    {
        var redactor = new SecretRedactor();
        var environment = new SettingsSource(new Dictionary<string, string>
        {
            ["ALIYUN_OSS_ACCESS_KEY_SECRET"] = "aliyun-secret-1",
            ["TENCENT_COS_SECRET_KEY"] = "tencent-secret-2",
            ["HUAWEI_OBS_SECRET_KEY"] = "huawei-secret-3",
            ["VOLCENGINE_TOS_SECRET_KEY"] = "volc-secret-4",
            [S3CompatibleClouds.GcsHmacSecretVariable] = "gcs-secret-5",
            ["AZURE_BLOB_STORAGE_CONNECTION_STRING"] = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=azure-key-6==;EndpointSuffix=core.windows.net",
        });

        redactor.AddFromInvocation([], environment);
        var text = redactor.Redact("aliyun-secret-1 tencent-secret-2 huawei-secret-3 volc-secret-4 gcs-secret-5 key azure-key-6== acct");

        Assert.That(text, Is.EqualTo("*** *** *** *** *** key *** acct"));
    }
}
