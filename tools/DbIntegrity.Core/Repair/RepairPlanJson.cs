using System.Text.Json;
using DbIntegrity.Core.Json;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Repair;

/// <summary>Reads and writes plan.json. A file that is not a plan of this format version is a usage error.</summary>
public static class RepairPlanJson
{
    public static readonly JsonSerializerOptions Options = JsonFiles.Options(o =>
    {
        o.RespectRequiredConstructorParameters = true;
        o.RespectNullableAnnotations = true;
    });

    public static string Write(RepairPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return JsonSerializer.Serialize(plan, Options);
    }

    /// <summary>Parses a plan; <paramref name="source"/> names the file in error messages.</summary>
    public static RepairPlan Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        RepairPlan? plan;
        try
        {
            using (var probe = JsonDocument.Parse(json))
            {
                var root = probe.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != RepairPlan.FormatName)
                {
                    throw new ConfigurationException($"{source} is not a repair plan (no \"format\": \"{RepairPlan.FormatName}\"). Make one with: {HostWords.Of(NextStep.WriteRepairPlan)} plan.json");
                }

                if (!root.TryGetProperty("formatVersion", out var version) || !version.TryGetInt32(out var number) || number != RepairPlan.CurrentFormatVersion)
                {
                    throw new ConfigurationException(
                        $"{source} is a repair plan of another format version than {RepairPlan.CurrentFormatVersion}: make a new plan with this version of dbintegrity.");
                }
            }

            plan = JsonSerializer.Deserialize<RepairPlan>(json, Options);
        }
        catch (JsonException ex) when (!LooksLikeJson(json))
        {
            throw new ConfigurationException(
                $"{source} is not a repair plan: it is not JSON ({ex.Message.TrimEnd('.')}). Redirecting the screen output ({HostWords.Of(NextStep.MakeRepairPlan)} > {source}) does not make a plan; "
                + $"write the plan with {HostWords.Of(UserOption.OutputFile)}: {HostWords.Of(NextStep.WriteRepairPlan)} {source}", ex);
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{source} is not a valid repair plan: {ex.Message}");
        }

        return plan ?? throw new ConfigurationException($"{source} is empty.");
    }

    private static bool LooksLikeJson(string text) => text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[');
}
