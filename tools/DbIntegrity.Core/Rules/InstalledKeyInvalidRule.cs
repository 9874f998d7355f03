using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A key under <c>PLUGIN_INSTALLED_PATH/</c> that does not parse as an identifier: a folder marker, a key whose
/// <c>:</c> was mangled by a copy, a stray file. The daemon's 30-second loop lists every key there and logs
/// <c>plugin_unique_identifier is not valid</c> for each (docs/daemon/storage.md#listing, docs/daemon/storage.md#the-30-second-loop; dify#22741); before daemon 0.2.0 one
/// such key stopped every plugin from launching.
/// </summary>
internal sealed class InstalledKeyInvalidRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "installed-key-invalid",
        Severity = Severity.Error,
        Summary = "A key under the installed prefix is not a valid identifier (folder marker, mangled ':', stray file).",
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.InstalledObject is not { } installed || group.Parsed is not null || IsHidden(group.Key))
        {
            return;
        }

        var (kind, likely) = Classify(group.Key);
        var details = new Dictionary<string, string> { ["kind"] = kind };
        if (likely is not null)
        {
            details["likelyIdentifier"] = likely;
        }

        context.Report(
            $"{Describe(kind, likely, installed.Key)} The daemon lists it as \"{group.Key}\" and logs 'plugin_unique_identifier is not valid: {group.Key}' "
            + $"every 30 seconds (daemon 0.2.0 and later skip it; older daemons launch no plugin at all while it exists).",
            new FindingLocation { ObjectKey = installed.Key, Identifier = group.Key, Details = details },
            installed.LastModified,
            new Recheck.ObjectPresent(installed.Key));
    }

    // InstalledBucket.List skips names that start with '.' (docs/daemon/storage.md#listing), only at the top level: the name is the key
    // after the prefix and the one leading '/' cloud-kit strips, so plugin/.keep is skipped, plugin/langgenius/.keep is not.
    private static bool IsHidden(string suffix) => (suffix.StartsWith('/') ? suffix[1..] : suffix).StartsWith('.');

    // The kind and the likely original identifier travel in Details: repair restores a mangled key under its real
    // name only when that name is an installed identifier (tools/DbIntegrity.Core/Repair).
    private static (string Kind, string? Likely) Classify(string suffix)
    {
        if (suffix.Length == 0 || suffix.EndsWith('/'))
        {
            return ("folder-marker", null);
        }

        if (!suffix.Contains(':', StringComparison.Ordinal) && suffix.Contains('@', StringComparison.Ordinal) && LooksMangled(suffix, out var original))
        {
            return ("mangled", original);
        }

        return ("stray", null);
    }

    private static string Describe(string kind, string? likely, string key) => kind switch
    {
        "folder-marker" => $"{key} is a folder marker (a zero-byte key ending in '/', as consoles, MinIO and copy tools create).",
        "mangled" => $"{key} looks like {likely} with its ':' replaced during a copy between storages (dify#22741).",
        _ => $"{key} is not an installed plugin identifier (author/name:version@checksum).",
    };

    // A copy tool that URL-encoded the key leaves "%3A"; others replace ':' with '_', '-' or a space. Try the encoded
    // form first, then every such character before '@'; the first that parses is the likely original.
    private static bool LooksMangled(string suffix, out string original)
    {
        var encoded = suffix.Replace("%3A", ":", StringComparison.OrdinalIgnoreCase);
        if (encoded != suffix && PluginUniqueIdentifier.TryParse(encoded, out var decoded))
        {
            original = decoded.Value;
            return true;
        }

        var at = suffix.IndexOf('@', StringComparison.Ordinal);
        for (var i = at - 1; i > 0; i--)
        {
            if (suffix[i] is '_' or '-' or ' ' or '%' && PluginUniqueIdentifier.TryParse(string.Concat(suffix.AsSpan(0, i), ":", suffix.AsSpan(i + 1)), out var parsed))
            {
                original = parsed.Value;
                return true;
            }
        }

        original = string.Empty;
        return false;
    }
}
