using System.Security.Cryptography;
using System.Text;

namespace DbIntegrity.Simulator.Packages;

/// <summary>A small SVG whose bytes depend only on its seed, so generated packages are reproducible.</summary>
internal static class DefaultIcon
{
    public static PackageIcon Create(string fileName, string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var colour = Convert.ToHexStringLower(hash.AsSpan(0, 3));
        var svg = $"""<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#{colour}"/></svg>""" + "\n";
        return new PackageIcon(fileName, Encoding.UTF8.GetBytes(svg));
    }
}
