namespace DbIntegrity.Core.Tests.Plugins;

/// <summary>
/// Strings shaped like plugin_unique_identifiers, built from the daemon pattern's parts with random lengths around
/// every limit, a third of them with one random character replaced: half pass the daemon's regex, half fail it. Shared
/// (linked) with the integration tests, which run the same strings through PostgreSQL.
/// </summary>
internal static class IdentifierSamples
{
    public static IEnumerable<string> Generate(int count)
    {
        var random = new Random(20261202);
        const string alphabet = "abcfgz09_-/:.@AZé\n";
        for (var n = 0; n < count; n++)
        {
            var value = One(random);
            if (random.Next(3) == 0)
            {
                var chars = value.ToCharArray();
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                value = new string(chars);
            }

            yield return value;
        }
    }

    private static string One(Random random)
    {
        static string Run(Random random, string chars, int min, int max) =>
            new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => chars[random.Next(chars.Length)])]);

        const string nameChars = "abcxyz0189_-";
        var author = random.Next(4) switch
        {
            0 => string.Empty,
            1 => Run(random, nameChars, 0, 66) + "/",
            _ => Run(random, nameChars, 1, 8) + "/",
        };
        var name = random.Next(8) == 0 ? Run(random, nameChars, 250, 257) : Run(random, nameChars, 0, 10);
        var version = string.Join('.', Enumerable.Range(0, random.Next(1, 6)).Select(_ => Run(random, "0123456789", 0, 5)));
        var suffix = random.Next(3) == 0 ? "-" + Run(random, "aZ09_", 0, 17) : string.Empty;
        var checksum = Run(random, "0123456789abcdef", 30, 66);
        return $"{author}{name}:{version}{suffix}@{checksum}";
    }
}
