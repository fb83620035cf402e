using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Gateway.SurfaceCheck
{
    /// <summary>The limits pass: every application's loaded assemblies and deployment image (AssemblyLimits).</summary>
    public static partial class SurfaceChecker
    {
        /// <summary>
        /// Each application (an Exe, or the NFUnitTest assembly the unit-test launcher loads) with every assembly it loads:
        /// itself, its project references, their packages' assemblies and, through the identities' references, theirs.
        /// </summary>
        private static void MeasureApplications(Dictionary<string, NfProject> projects, Dictionary<string, ProjectCompileResult> compiled,
            List<AssemblyMeasure> measures, PackageCatalog catalog, string nanoApi, SurfaceCheckResult result)
        {
            var publicMembers = File.ReadLines(Path.Combine(nanoApi, "nanoframework-api.tsv"))
                .Select(l => l.Split('\t')[0]).GroupBy(a => a, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var app in projects.Values.Where(p => string.Equals(p.OutputType, "Exe", StringComparison.OrdinalIgnoreCase) || p.AssemblyName == "NFUnitTest"))
            {
                if (!compiled.ContainsKey(app.FullPath))
                {
                    continue;
                }

                var ours = new List<NfProject>();
                void Walk(NfProject p)
                {
                    if (ours.Contains(p))
                    {
                        return;
                    }

                    ours.Add(p);
                    foreach (var r in p.ProjectReferences)
                    {
                        if (projects.TryGetValue(r, out var other))
                        {
                            Walk(other);
                        }
                    }
                }

                Walk(app);
                var packageAssemblies = new SortedSet<string>(StringComparer.Ordinal);
                void AddAssembly(string name)
                {
                    if (!packageAssemblies.Add(name) || !catalog.Identities.TryGetValue(name, out var identity))
                    {
                        return;
                    }

                    foreach (var dependency in identity.References)
                    {
                        AddAssembly(dependency.Split(' ')[0]);
                    }
                }

                foreach (var package in ours.SelectMany(p => p.Packages).Where(p => catalog.Packages.ContainsKey(p.Id)))
                {
                    foreach (var assembly in catalog.Packages[package.Id].Assemblies)
                    {
                        AddAssembly(assembly);
                    }
                }

                if (app.AssemblyName == "NFUnitTest")
                {
                    AddAssembly("nanoFramework.UnitTestLauncher");
                }

                var loaded = ours.Select(p => measures.FirstOrDefault(m => m.Name == p.AssemblyName))
                    .Where(m => m != null)
                    .Select(m => new LoadedAssembly(m!.Name, m.EstimatedPeBytes, "compiled"))
                    .Concat(packageAssemblies.Select(a => new LoadedAssembly(a, AssemblyLimits.EstimatePackageAssembly(publicMembers.GetValueOrDefault(a, 50)), "package estimate")))
                    .ToList();
                var measure = new ApplicationMeasure { Name = app.Name, Assemblies = loaded };
                result.Applications.Add(measure);
                result.LimitProblems.AddRange(AssemblyLimits.Problems(measure));
            }
        }
    }
}
