namespace DbIntegrity.Core.Repair;

/// <summary>What a fix does; written kebab-case in plan.json.</summary>
public enum RepairKind
{
    /// <summary>Copy a verified copy of the package to <c>plugin_packages/&lt;P&gt;</c>.</summary>
    RestorePackage,

    /// <summary>Copy a verified copy of the package to <c>plugin/&lt;P&gt;</c> for a plugin installed locally.</summary>
    RestoreInstalledMarker,

    /// <summary>Delete a key under <c>plugin/</c> the daemon cannot use (after backing it up).</summary>
    DeleteInstalledKey,

    /// <summary>Delete a <c>plugin_declarations</c> row nothing uses and that cannot be served.</summary>
    DeleteDeclaration,

    /// <summary>Set <c>plugins.refers</c> to the number of installations.</summary>
    RecomputeRefers,

    /// <summary>Delete the extra <c>plugins</c> rows of one identifier.</summary>
    RemoveDuplicatePluginRows,

    /// <summary>Delete the extra <c>plugin_installations</c> rows of one tenant and plugin.</summary>
    RemoveDuplicateInstallations,

    /// <summary>Delete a category row whose tenant has no installation of its plugin.</summary>
    DeleteCategoryRow,

    /// <summary>Insert the category row an installation's declaration calls for.</summary>
    InsertCategoryRow,

    /// <summary>Set <c>plugin_id</c> to the identifier's <c>author/name</c>.</summary>
    FixPluginId,
}
