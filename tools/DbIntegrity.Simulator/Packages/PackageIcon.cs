
namespace DbIntegrity.Simulator.Packages;

/// <summary>
/// An icon file in a package: <paramref name="FileName"/> is its path relative to <c>_assets/</c>, which is what the
/// manifest names and what the asset id hashes (docs/daemon/storage.md#key-layout).
/// </summary>
public sealed record PackageIcon(string FileName, byte[] Content);
