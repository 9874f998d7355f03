using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A key under <c>PLUGIN_INSTALLED_PATH/</c> that does not parse as an identifier: a folder marker, a key whose
/// <c>:</c> was mangled by a copy, a stray file. The daemon's 30-second loop lists every key there and logs
/// <c>plugin_unique_identifier is not valid</c> for each (reference §3.3, §3.5; dify#22741); before daemon 0.2.0 one
/// such key stopped every plugin from launching.
/// </summary>
public sealed class InstalledKeyInvalidRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "installed-key-invalid",
        Severity = Severity.Error,
        Summary = "A key under the installed prefix is not a valid identifier (folder marker, mangled ':', stray file).",
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.InstalledObject is not { } installed || group.Parsed is not null)
        {
            return;
        }

        context.Report(
            $"{Describe(group.Key, installed.Key)} The daemon lists it as \"{group.Key}\" and logs 'plugin_unique_identifier is not valid: {group.Key}' "
            + "every 30 seconds (daemon 0.2.0 and later skip it; older daemons launch no plugin at all while it exists).",
            new FindingLocation { ObjectKey = installed.Key, Identifier = group.Key },
            installed.LastModified,
            new Recheck.ObjectPresent(installed.Key));
    }

    private static string Describe(string suffix, string key)
    {
        if (suffix.Length == 0 || suffix.EndsWith('/'))
        {
            return $"{key} is a folder marker (a zero-byte key ending in '/', as consoles, MinIO and copy tools create).";
        }

        if (!suffix.Contains(':', StringComparison.Ordinal) && suffix.Contains('@', StringComparison.Ordinal) && LooksMangled(suffix, out var original))
        {
            return $"{key} looks like {original} with its ':' replaced during a copy between storages (dify#22741).";
        }

        return $"{key} is not an installed plugin identifier (author/name:version@checksum).";
    }

    // Try every position of '_' or '-' before '@' as the lost ':'; the first that parses is the likely original.
    private static bool LooksMangled(string suffix, out string original)
    {
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
