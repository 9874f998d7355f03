using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// The JSON of the scan's own temporary files (candidates' and spilled findings), generated at compile time: a
/// lost prefix makes a finding per row, written and read back several times over, and reflection-based serialization was a large part
/// of a wiped scan's confirmation. Nobody else reads these files; they live only as long as the scan. Null members are
/// left out and so is <see cref="Finding.Fingerprint"/> (computed from the others): a quarter of each line was those.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.General, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Finding))]
internal sealed partial class SpillJson : JsonSerializerContext
{
    /// <summary>A finding as the spill files hold it.</summary>
    public static JsonTypeInfo<Finding> SpilledFinding => Lean.Finding;

    // In a class of its own: a static initializer of this partial class could run before the generated Default's.
    private static class Lean
    {
        private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = Default.WithAddedModifier(type =>
            {
                if (type.Type == typeof(Rules.Finding) && type.Properties.FirstOrDefault(p => p.Name == "Fingerprint") is { } fingerprint)
                {
                    type.Properties.Remove(fingerprint);
                }
            }),
        };

        public static readonly JsonTypeInfo<Rules.Finding> Finding = (JsonTypeInfo<Rules.Finding>)Options.GetTypeInfo(typeof(Rules.Finding));
    }
}
