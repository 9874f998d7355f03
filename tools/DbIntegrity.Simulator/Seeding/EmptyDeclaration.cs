namespace DbIntegrity.Simulator.Seeding;

/// <summary>
/// What <c>plugins.remote_declaration</c> holds for local and serverless plugins: Go's JSON of a zero
/// <c>PluginDeclaration</c> (docs/daemon/database.md#tables, "seen in the dump"). The exact text is an inference from the struct tags:
/// empty strings, null slices, the zero time, and none of the optional blocks.
/// </summary>
internal static class EmptyDeclaration
{
    public const string Json =
        """{"version":"","type":"","author":"","name":"","label":{"en_US":""},"description":{"en_US":""},"icon":"","icon_dark":"","resource":{"memory":0},"plugins":{"tools":null,"models":null,"endpoints":null,"agent_strategies":null,"datasources":null,"triggers":null},"meta":{"version":"","arch":null,"runner":{"language":"","version":"","entrypoint":""},"minimum_dify_version":null},"tags":null,"created_at":"0001-01-01T00:00:00Z","verified":false}""";
}
