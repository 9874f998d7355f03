using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Packages;
using Npgsql;
using NpgsqlTypes;

namespace DbIntegrity.Benchmarks;

/// <summary>
/// A large, consistent deployment loaded fast: rows with binary COPY, objects with parallel PUTs of small bodies (the
/// scan without --deep never reads object bodies). Declarations are real declaration JSON of a real package, so
/// parsing costs what it costs in production.
/// </summary>
internal static class SyntheticDeployment
{
    public static DifyPackage Template { get; } = PackageBuilder.Build(new PackageSpec("bench", "template", "1.0.0", PluginCategory.Tool) { Label = "Benchmark" });

    /// <summary>The identifiers, already in byte order (zero-padded).</summary>
    public static IEnumerable<string> Identifiers(int count) => Enumerable.Range(0, count).Select(i => $"bench/p{i:D7}:1.0.0@{i:x64}");

    /// <summary>Loads the rows; with <paramref name="storage"/>, also puts the objects a consistent bucket holds. Returns the rows written.</summary>
    public static async Task<long> LoadAsync(NpgsqlDataSource dataSource, IObjectWriter? storage, int identifiers, int tenants, CancellationToken cancellationToken)
    {
        var template = Template;
        var now = DateTimeOffset.UtcNow.AddHours(-1);
        var names = Identifiers(identifiers).ToArray();

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using (var plugins = await connection.BeginBinaryImportAsync(
                "COPY plugins (id, created_at, updated_at, plugin_unique_identifier, plugin_id, refers, install_type, manifest_type, remote_declaration, source) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var (name, i) in names.Select((n, i) => (n, i)))
                {
                    await plugins.WriteRowAsync(cancellationToken, Guid.CreateVersion7(), now, now, name, name.Split(':')[0], (long)Installs(i, tenants), "local", string.Empty, "{}", "marketplace");
                }

                await plugins.CompleteAsync(cancellationToken);
            }

            await using (var declarations = await connection.BeginBinaryImportAsync(
                "COPY plugin_declarations (id, created_at, updated_at, plugin_unique_identifier, plugin_id, declaration) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var (name, i) in names.Select((n, i) => (n, i)))
                {
                    var declaration = template.Declaration.Replace("\"name\":\"template\"", $"\"name\":\"p{i:D7}\"", StringComparison.Ordinal);
                    await declarations.WriteRowAsync(cancellationToken, Guid.CreateVersion7(), now, now, name, name.Split(':')[0], declaration);
                }

                await declarations.CompleteAsync(cancellationToken);
            }

            await using (var installations = await connection.BeginBinaryImportAsync(
                "COPY plugin_installations (id, created_at, updated_at, tenant_id, plugin_id, plugin_unique_identifier, runtime_type, endpoints_setups, endpoints_active, source, meta) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var (name, i) in names.Select((n, i) => (n, i)))
                {
                    for (var t = 0; t < Installs(i, tenants); t++)
                    {
                        await installations.StartRowAsync(cancellationToken);
                        await installations.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
                        await installations.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                        await installations.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                        await installations.WriteAsync(Tenant(t), NpgsqlDbType.Uuid, cancellationToken);
                        await installations.WriteAsync(name.Split(':')[0], NpgsqlDbType.Varchar, cancellationToken);
                        await installations.WriteAsync(name, NpgsqlDbType.Varchar, cancellationToken);
                        await installations.WriteAsync("local", NpgsqlDbType.Varchar, cancellationToken);
                        await installations.WriteAsync(0L, NpgsqlDbType.Bigint, cancellationToken);
                        await installations.WriteAsync(0L, NpgsqlDbType.Bigint, cancellationToken);
                        await installations.WriteAsync("marketplace", NpgsqlDbType.Varchar, cancellationToken);
                        await installations.WriteAsync("{}", NpgsqlDbType.Text, cancellationToken);
                    }
                }

                await installations.CompleteAsync(cancellationToken);
            }

            // One tool row per installation, as InstallPlugin writes (docs/daemon/database.md#invariants item 4).
            await using var categories = new NpgsqlCommand(
                """
                INSERT INTO tool_installations (id, created_at, updated_at, tenant_id, provider, plugin_unique_identifier, plugin_id)
                SELECT gen_random_uuid(), created_at, updated_at, tenant_id, 'template', plugin_unique_identifier, plugin_id FROM plugin_installations;
                """, connection)
            {
                // At 10⁵ identifiers on a busy machine this takes longer than Npgsql's default 30 s.
                CommandTimeout = 0,
            };
            await categories.ExecuteNonQueryAsync(cancellationToken);

            // A database in service has been vacuumed: its rows' hint bits are set and its visibility map is current. A
            // freshly loaded one is not, and autovacuum then works on it (280,000 rows a table at 10^5) during the first
            // measured scans and not during the floor's runs after them: measured, 5.2 s against 3.6-4.6 s once it was done.
            await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        long rows;
        await using (var count = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM plugins) + (SELECT count(*) FROM plugin_declarations) + (SELECT count(*) FROM plugin_installations) + (SELECT count(*) FROM tool_installations)"))
        {
            rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        if (storage is null)
        {
            return rows;
        }

        var keys = names.SelectMany(n => new[] { StorageLayout.Default.PackageKey(n), StorageLayout.Default.InstalledKey(n) })
            .Concat(template.Assets.Keys.Select(StorageLayout.Default.AssetKey));
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (key, ct) =>
            await storage.PutAsync(key, "x"u8.ToArray(), ct));
        return rows;
    }

    // Most plugins are installed by one tenant; every tenth by all of them (a popular plugin).
    private static int Installs(int index, int tenants) => index % 10 == 0 ? tenants : 1;

    private static Guid Tenant(int index) => new($"00000000-0000-7000-8000-{index:x12}");
}
