namespace DbIntegrity.Core.Packages;

/// <summary>An asset id found in a declaration, and the field that holds it (e.g. <c>model.icon_small.en_US</c>).</summary>
public sealed record DeclaredAsset(string Field, string AssetId);
