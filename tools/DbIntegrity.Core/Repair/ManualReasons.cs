namespace DbIntegrity.Core.Repair;

/// <summary>Why rules without an automatic fix have none, and what a person should do.</summary>
internal static class ManualReasons
{
    public static string For(string rule) => rule switch
    {
        "identifier-invalid" =>
            "No tool can tell which identifier was meant, and deleting the row would take the plugin away from its tenants. Correct the identifier by hand "
            + "from the package (author/name:version@checksum, reference §2), or uninstall and reinstall the plugin in Dify.",
        "installation-plugin-missing" =>
            "The plugins row cannot be rebuilt safely (install type, remote declaration, refers of other versions). Reinstall the plugin for the tenant in Dify "
            + "(uninstall, then install), or restore the row from a backup's restore.sql.",
        "installation-declaration-missing" =>
            "The declaration is the package's manifest as the daemon's decoder rewrites it (icons become asset ids, reference §6.2); repair does not re-implement "
            + "the decoder. Upload the package again in Dify: the upload inserts the missing row (§3.4).",
        "declaration-identity-mismatch" =>
            "The stored declaration or the package belongs to another version. Upload the original package of this identifier again; if the declaration is the "
            + "wrong part, delete its row first (the upload only inserts a missing row).",
        "daemon-value-unknown" =>
            "Which value was meant cannot be known from the row alone. Set the column to the value the finding names (or reinstall the plugin in Dify); "
            + "the other findings on this row are repaired once its value is one the daemon writes.",
        RuleIds.AssetMissing =>
            "Icons come from the package: upload the package again in Dify, which writes every icon to assets/ (reference §3.4).",
        _ => $"There is no automatic repair for {rule}. Follow the finding's message.",
    };
}
