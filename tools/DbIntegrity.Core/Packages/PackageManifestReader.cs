using System.IO.Compression;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// Reads <c>manifest.yaml</c> out of a package zip, for checks that open stored packages. An unreadable package is a
/// finding, not an exception: only cancellation and I/O failures of the stream itself throw.
/// </summary>
internal static class PackageManifestReader
{
    private const string ManifestPath = "manifest.yaml";

    // The daemon limits whole packages to 50 MiB; a manifest is a few KiB. Refusing more keeps a zip bomb out of memory.
    private const long MaxManifestBytes = 1024 * 1024;

    public static Task<ManifestReadResult> ReadAsync(byte[] package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        return ReadAsync(new MemoryStream(package, writable: false), cancellationToken);
    }

    /// <summary>Reads from a package stream; a stream that cannot seek is buffered first (ZipArchive needs to seek).</summary>
    public static async Task<ManifestReadResult> ReadAsync(Stream package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        string text;
        try
        {
            await using var archive = await ZipArchive.CreateAsync(package, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            var entry = archive.Entries.FirstOrDefault(e => e.FullName is ManifestPath or "./" + ManifestPath);
            if (entry is null)
            {
                return ManifestReadResult.Failure(ManifestProblem.NoManifest, $"the package has no {ManifestPath} at its root");
            }

            if (entry.Length > MaxManifestBytes)
            {
                return ManifestReadResult.Failure(ManifestProblem.InvalidYaml, $"{ManifestPath} is {entry.Length} bytes, more than a manifest can be");
            }

            await using var stream = await entry.OpenAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            return ManifestReadResult.Failure(ManifestProblem.NotAZip, $"the package is not a readable zip: {ex.Message}");
        }

        return Parse(text);
    }

    internal static ManifestReadResult Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            return ManifestReadResult.Failure(ManifestProblem.InvalidYaml, $"{ManifestPath} is not valid YAML: {ex.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return ManifestReadResult.Failure(ManifestProblem.InvalidYaml, $"{ManifestPath} is not a YAML mapping");
        }

        string? error = null;
        var author = Scalar(root, "author", required: false, ref error);
        var name = Scalar(root, "name", required: true, ref error);
        var version = Scalar(root, "version", required: true, ref error);
        var type = Scalar(root, "type", required: true, ref error);
        return error is null
            ? ManifestReadResult.Success(new PackageManifest(author, name, version, type))
            : ManifestReadResult.Failure(ManifestProblem.MissingField, error);
    }

    private static string Scalar(YamlMappingNode root, string key, bool required, ref string? error)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            error ??= required ? $"{ManifestPath} has no {key}" : null;
            return string.Empty;
        }

        if (node is not YamlScalarNode { Value: { } value } scalar)
        {
            error ??= $"{ManifestPath} {key} is not a plain value";
            return string.Empty;
        }

        // A plain null reads as the empty string, as Go's YAML decoder gives it to a string field.
        if (scalar.Style == ScalarStyle.Plain && value is "~" or "null" or "Null" or "NULL")
        {
            value = string.Empty;
        }

        if (required && value.Length == 0)
        {
            error ??= $"{ManifestPath} {key} is empty";
        }

        return value;
    }
}
