using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Tests.Plugins;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// identifier-invalid lets PostgreSQL skip the rows that match <see cref="PluginUniqueIdentifier.PostgresPattern"/>, so
/// that pattern, run by PostgreSQL itself, must never accept a string the daemon's regex rejects: a miss there would
/// hide a finding. The strings are the ones TryParse is tested on (both outcomes, every limit, non-ASCII, newlines).
/// </summary>
[Category("Integration")]
public sealed class IdentifierPrefilterTests
{
    [Test]
    public async Task PostgreSQL_accepts_only_what_the_daemon_accepts_and_skips_nearly_every_valid_identifier()
    {
        await using var database = await TestDatabase.CreateAsync();
        var samples = IdentifierSamples.Generate(200_000).ToArray();
        var acceptedByPostgres = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = database.DataSource.CreateCommand(
            $"SELECT s FROM unnest($1::text[]) s WHERE s COLLATE \"C\" ~ '{PluginUniqueIdentifier.PostgresPattern}'"))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = samples });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                acceptedByPostgres.Add(reader.GetString(0));
            }
        }

        var daemonAccepts = samples.Where(PluginUniqueIdentifier.MatchesDaemonRegex).ToHashSet(StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(acceptedByPostgres.Except(daemonAccepts), Is.Empty, "PostgreSQL would skip identifiers the daemon rejects");
            // The same pattern: PostgreSQL skips every identifier the daemon accepts, so the rule reads only bad rows.
            Assert.That(daemonAccepts.Except(acceptedByPostgres), Is.Empty, "valid identifiers PostgreSQL did not skip");
            Assert.That(daemonAccepts, Has.Count.InRange(5_000, 195_000));
        });
    }
}
