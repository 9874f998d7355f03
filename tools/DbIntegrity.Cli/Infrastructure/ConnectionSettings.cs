using System.ComponentModel;
using DbIntegrity.Core.Configuration;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Flags shared by every command that reads the database. The daemon's DB_* variables are the defaults.</summary>
public class DatabaseCommandSettings : CommandSettings
{
    [CommandOption("--db <CONNECTION>")]
    [Description("PostgreSQL connection string (Host=…;Username=…;Password=…;Database=… or postgres://…). Default: the daemon's DB_* variables.")]
    public string? ConnectionString { get; init; }

    public DatabaseSettings ResolveDatabase(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = DatabaseSettings.Resolve(ConnectionString, context.Environment);
        context.Redactor.Add(settings.Password);
        return settings;
    }
}

/// <summary>Flags shared by every command that reads the database and the bucket.</summary>
public class StorageCommandSettings : DatabaseCommandSettings
{
    [CommandOption("--bucket <NAME>")]
    [Description("Bucket. Default: PLUGIN_STORAGE_OSS_BUCKET.")]
    public string? Bucket { get; init; }

    [CommandOption("--s3-endpoint <URL>")]
    [Description("S3-compatible endpoint. Default: S3_ENDPOINT (AWS when unset).")]
    public string? S3Endpoint { get; init; }

    [CommandOption("--region <REGION>")]
    [Description("Region. Default: AWS_REGION, else us-east-1.")]
    public string? Region { get; init; }

    [CommandOption("--local-root <FOLDER>")]
    [Description("Local storage folder (PLUGIN_STORAGE_TYPE=local). Default: PLUGIN_STORAGE_LOCAL_ROOT, else storage. Implies local storage when PLUGIN_STORAGE_TYPE is unset.")]
    public string? LocalRoot { get; init; }

    [CommandOption("--installed-path <PREFIX>")]
    [Description("Default: PLUGIN_INSTALLED_PATH, else plugin.")]
    public string? InstalledPath { get; init; }

    [CommandOption("--package-path <PREFIX>")]
    [Description("Default: PLUGIN_PACKAGE_CACHE_PATH, else plugin_packages.")]
    public string? PackagePath { get; init; }

    [CommandOption("--media-path <PREFIX>")]
    [Description("Default: PLUGIN_MEDIA_CACHE_PATH, else assets.")]
    public string? MediaPath { get; init; }

    public StorageSettings ResolveStorage(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var overrides = new Dictionary<string, string?>
        {
            ["PLUGIN_STORAGE_OSS_BUCKET"] = Bucket,
            ["S3_ENDPOINT"] = S3Endpoint,
            ["AWS_REGION"] = Region,
            ["PLUGIN_INSTALLED_PATH"] = InstalledPath,
            ["PLUGIN_PACKAGE_CACHE_PATH"] = PackagePath,
            ["PLUGIN_MEDIA_CACHE_PATH"] = MediaPath,
            ["PLUGIN_STORAGE_LOCAL_ROOT"] = LocalRoot,
        };
        if (LocalRoot is not null && !context.Environment.Has("PLUGIN_STORAGE_TYPE"))
        {
            overrides["PLUGIN_STORAGE_TYPE"] = "local";
        }

        var settings = StorageSettings.FromDaemonVariables(context.Environment.With(overrides));
        foreach (var secret in settings.Secrets)
        {
            context.Redactor.Add(secret);
        }

        return settings;
    }
}
