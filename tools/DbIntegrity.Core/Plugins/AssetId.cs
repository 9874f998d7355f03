using System.Security.Cryptography;
using System.Text;

namespace DbIntegrity.Core.Plugins;

/// <summary>
/// The id an icon is stored under: <c>sha256hex(fileBytes ‖ fileNameBytes) + ext</c> (docs/daemon/storage.md#key-layout,
/// <c>media_transport/assets_bucket.go</c>), where the file name is the path relative to <c>_assets/</c>.
/// </summary>
public static class AssetId
{
    public static string Compute(ReadOnlySpan<byte> content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = Encoding.UTF8.GetBytes(fileName);
        var buffer = new byte[content.Length + name.Length];
        content.CopyTo(buffer);
        name.CopyTo(buffer.AsSpan(content.Length));
        return Convert.ToHexStringLower(SHA256.HashData(buffer)) + Extension(fileName);
    }

    // Go's filepath.Ext: the suffix from the last dot of the last path element, dot included; empty when none.
    private static string Extension(string fileName)
    {
        for (var i = fileName.Length - 1; i >= 0 && fileName[i] != '/'; i--)
        {
            if (fileName[i] == '.')
            {
                return fileName[i..];
            }
        }

        return string.Empty;
    }
}
