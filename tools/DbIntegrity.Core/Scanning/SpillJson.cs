using System.Text.Json;
using System.Text.Json.Serialization;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// The JSON of the scan's own temporary files (candidates, rechecks, spilled findings), generated at compile time: a
/// lost prefix writes and reads a line per row several times over, and reflection-based serialization was a large part
/// of a wiped scan's confirmation. Nobody else reads these files; they live only as long as the scan.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.General)]
[JsonSerializable(typeof(Finding))]
[JsonSerializable(typeof(CandidateSpill.SpilledRecheck[]))]
internal sealed partial class SpillJson : JsonSerializerContext;
