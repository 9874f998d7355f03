
namespace DbIntegrity.Simulator.Packages;

/// <summary>The manifest's icon file names (relative to <c>_assets/</c>); providers reuse them.</summary>
internal sealed record IconNames(string Icon, string? IconDark);
