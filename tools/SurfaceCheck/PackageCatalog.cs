using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Gateway.SurfaceCheck
{
    /// <summary>One assembly identity from tools/nano-api/identities.tsv.</summary>
    public sealed record AssemblyIdentityRow(string Name, string Version, string PublicKeyToken, IReadOnlyList<string> References);

    /// <summary>One package pin from tools/nano-api/packages.tsv, with every assembly the package ships.</summary>
    public sealed record PackagePin(string PackageId, string Version, IReadOnlyList<string> Assemblies);

    /// <summary>
    /// The package pins (packages.tsv) and assembly identities (identities.tsv) of the nanoFramework surface.
    /// </summary>
    public sealed class PackageCatalog
    {
        /// <summary>
        /// Packages that ship more than the one assembly packages.tsv names (tools/nano-api/SOURCES.md, "Duplicate dlls").
        /// </summary>
        private static readonly Dictionary<string, string[]> ExtraAssemblies = new(StringComparer.OrdinalIgnoreCase)
        {
            ["nanoFramework.M2Mqtt"] = new[] { "nanoFramework.M2Mqtt.Core" },
            ["nanoFramework.Iot.Device.Mpu9250"] = new[] { "Iot.Device.Ak8963" },
        };

        /// <summary>Package pins by package id (NuGet ids compare case-insensitively).</summary>
        public IReadOnlyDictionary<string, PackagePin> Packages { get; }

        /// <summary>Assembly identities by assembly name.</summary>
        public IReadOnlyDictionary<string, AssemblyIdentityRow> Identities { get; }

        private PackageCatalog(Dictionary<string, PackagePin> packages, Dictionary<string, AssemblyIdentityRow> identities)
        {
            Packages = packages;
            Identities = identities;
        }

        /// <summary>Reads packages.tsv and identities.tsv from the nano-api folder.</summary>
        public static PackageCatalog Load(string nanoApiDirectory)
        {
            var packages = new Dictionary<string, PackagePin>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in File.ReadAllLines(Path.Combine(nanoApiDirectory, "packages.tsv")).Skip(1))
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var cols = line.Split('\t');
                var assemblies = new List<string> { cols[2] };
                if (ExtraAssemblies.TryGetValue(cols[0], out var extra))
                {
                    assemblies.AddRange(extra);
                }

                packages[cols[0]] = new PackagePin(cols[0], cols[1], assemblies);
            }

            var identities = new Dictionary<string, AssemblyIdentityRow>(StringComparer.Ordinal);
            foreach (var line in File.ReadAllLines(Path.Combine(nanoApiDirectory, "identities.tsv")))
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var cols = line.Split('\t');
                var references = cols.Length > 3 && cols[3].Trim().Length > 0
                    ? cols[3].Split(',').Select(r => r.Trim().Split(' ')[0]).ToList()
                    : new List<string>();
                identities[cols[0]] = new AssemblyIdentityRow(cols[0], cols[1], cols[2], references);
            }

            return new PackageCatalog(packages, identities);
        }
    }
}
