namespace DbIntegrity.Core.Rules;

/// <summary>
/// The values the daemon writes into its enum columns (docs/daemon/database.md#tables), and what its code does with any other value.
/// The daemon compares them case-sensitively, so <c>'LOCAL'</c>, <c>''</c> and NULL are outside the vocabulary too.
/// Rules that branch on these columns must classify every value through here, never fall through on an unknown one.
/// </summary>
internal static class DaemonVocabulary
{
    /// <summary><c>plugins.install_type</c>, <c>plugin_installations.runtime_type</c>: PluginRuntimeType (pkg/entities/plugin_entities/runtime.go).</summary>
    public static readonly IReadOnlyList<string> RuntimeTypes = ["local", "remote", "serverless"];

    /// <summary>Every enum column the daemon writes, with the values it writes and what it does with another value.</summary>
    public static readonly IReadOnlyList<EnumColumn> Columns =
    [
        new("plugins", "install_type", RuntimeTypes,
            "The daemon knows only local, remote and serverless (pkg/entities/plugin_entities/runtime.go, compared case-sensitively). It reads this plugin's "
            + "declaration from plugin_declarations as for a local plugin (pkg/utils/cache/helper/combined.go) but uninstalls it as neither local nor "
            + "serverless: the last uninstall leaves plugin/<P> behind, so the plugin keeps being launched (internal/service/install_plugin.go). Set it to "
            + "the type the plugin was installed with."),
        new("plugin_installations", "runtime_type", RuntimeTypes,
            "The daemon knows only local, remote and serverless (pkg/entities/plugin_entities/runtime.go, compared case-sensitively). It routes the tenant's "
            + "requests as a non-remote plugin (internal/core/plugin_manager/manager.go NeedRedirecting; an empty value falls back to guessing from the "
            + "identifier) and caches its declaration under this value (pkg/utils/cache/helper/combined.go). Set it to the plugins row's install_type."),
        new("serverless_runtimes", "type", ["serverless"],
            "The daemon looks serverless runtimes up with type = 'serverless' only (internal/core/plugin_manager/installer.go): this row is invisible to it, "
            + "and installing the plugin to serverless again fails on the unique plugin_unique_identifier. Set type to 'serverless'."),
        new("install_tasks", "status", ["pending", "running", "success", "failed"],
            "The daemon writes only pending, running, success and failed (internal/types/models/task.go). Dify cannot show whether this install ran, and "
            + "repair treats the task as an install in progress. Delete the task if no install is running."),
    ];

    /// <summary>True when the daemon can have written <paramref name="value"/> into this column.</summary>
    public static bool IsKnown(IReadOnlyList<string> vocabulary, string? value) => value is not null && vocabulary.Contains(value, StringComparer.Ordinal);

    /// <summary>One enum column.</summary>
    public sealed record EnumColumn(string Table, string Column, IReadOnlyList<string> Values, string DaemonBehaviour)
    {
        /// <summary>A SQL predicate true for a value outside the vocabulary (NULL included).</summary>
        public string UnknownPredicate(string alias) =>
            $"({alias}.\"{Column}\" IS NULL OR {alias}.\"{Column}\" NOT IN ({string.Join(", ", Values.Select(v => $"'{v}'"))}))";
    }
}
