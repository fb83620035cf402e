using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Gateway.SurfaceCheck
{
    /// <summary>What to check.</summary>
    public sealed class SurfaceCheckOptions
    {
        /// <summary>Repository root.</summary>
        public string RepoRoot { get; init; } = ".";

        /// <summary>The device solution, relative to the repository root (or absolute).</summary>
        public string Solution { get; init; } = "Gateway.nfproj.sln";

        /// <summary>In-memory file texts by repository-relative path: replace a file, or add one (wildcards see it).</summary>
        public IReadOnlyDictionary<string, string>? FileOverrides { get; init; }

        /// <summary>Extra source texts compiled into a named project: (project name, virtual path, text).</summary>
        public IReadOnlyList<(string Project, string Path, string Text)>? ExtraSources { get; init; }

        /// <summary>Prebuilt stubs (tests share one build); null builds or loads them from the cache.</summary>
        public StubSet? Stubs { get; init; }

        /// <summary>Stub cache folder; null means &lt;repo&gt;/.build/nano-stubs.</summary>
        public string? StubCache { get; init; }

        /// <summary>Compile only these projects (by name); null compiles every project. Consistency checks always cover all.</summary>
        public IReadOnlyCollection<string>? Projects { get; init; }

        /// <summary>False skips compilation (consistency checks only).</summary>
        public bool Compile { get; init; } = true;

        /// <summary>False compiles only <see cref="ExtraSources"/> with each project's references and settings (fast probes).</summary>
        public bool IncludeProjectSources { get; init; } = true;

        /// <summary>False builds the stubs in memory and neither reads nor writes the cache.</summary>
        public bool UseStubCache { get; init; } = true;
    }

    /// <summary>The outcome of the whole check.</summary>
    public sealed class SurfaceCheckResult
    {
        /// <summary>Consistency problems (solution, projects, packages, references).</summary>
        public List<CheckProblem> Problems { get; } = new();

        /// <summary>Per-project compile results, in compile order.</summary>
        public List<ProjectCompileResult> Projects { get; } = new();

        /// <summary>The stubs used.</summary>
        public StubSet? Stubs { get; set; }

        /// <summary>Total time.</summary>
        public TimeSpan Elapsed { get; set; }

        /// <summary>Every compiler diagnostic of every project.</summary>
        public IEnumerable<SurfaceDiagnostic> Diagnostics => Projects.SelectMany(p => p.Diagnostics);

        /// <summary>What each compiled device assembly holds (IL, strings, methods per type), in compile order.</summary>
        public List<AssemblyMeasure> Measures { get; } = new();

        /// <summary>The applications (Exe projects and the NFUnitTest assembly): assemblies loaded and image size.</summary>
        public List<ApplicationMeasure> Applications { get; } = new();

        /// <summary>Assemblies or applications over a limit of the nanoFramework format or runtime (<see cref="AssemblyLimits"/>).</summary>
        public List<string> LimitProblems { get; } = new();

        /// <summary>True when there is no problem, no error, no warning and no assembly over a limit.</summary>
        public bool Passed => Problems.Count == 0 && LimitProblems.Count == 0 && Projects.All(p => p.Diagnostics.Count == 0);
    }

    /// <summary>
    /// The surface check: reads the device solution, checks that solution, projects, packages.config and the
    /// pinned packages agree, then compiles every .nfproj against exactly the stubs of its packages.
    /// </summary>
    public static partial class SurfaceChecker
    {
        private static readonly string[] ProjectFolders = { "firmware", "hardware", "bindings", "tests" };
        private static readonly Regex ReferenceVersion = new(@"Version\s*=\s*(?<v>[0-9.]+)", RegexOptions.IgnoreCase);
        private static readonly Regex ReferenceToken = new(@"PublicKeyToken\s*=\s*(?<t>[0-9a-fA-F]+|null)", RegexOptions.IgnoreCase);

        /// <summary>Runs the check.</summary>
        public static SurfaceCheckResult Run(SurfaceCheckOptions options)
        {
            var stopwatch = Stopwatch.StartNew();
            var result = new SurfaceCheckResult();
            var files = new RepoFiles(options.RepoRoot, options.FileOverrides);
            string nanoApi = Path.Combine(files.Root, "tools", "nano-api");
            var catalog = PackageCatalog.Load(nanoApi);
            result.Stubs = options.Stubs ?? StubSet.Build(nanoApi, options.UseStubCache ? options.StubCache ?? Path.Combine(files.Root, ".build", "nano-stubs") : null);

            string solutionPath = files.Full(options.Solution);
            string solutionRelative = files.Relative(solutionPath);
            if (!files.Exists(solutionPath))
            {
                result.Problems.Add(new CheckProblem(solutionRelative, 0, "NFS001", "solution not found"));
                result.Elapsed = stopwatch.Elapsed;
                return result;
            }

            var solutionProjects = SolutionReader.Read(files, solutionPath);
            CheckSolution(files, solutionPath, solutionProjects, result);

            var projects = new Dictionary<string, NfProject>(StringComparer.Ordinal);
            foreach (var entry in SolutionReader.NfProjects(solutionProjects))
            {
                if (!files.Exists(entry.FullPath))
                {
                    continue; // reported by CheckSolution
                }

                var project = NfProjectReader.Read(files, entry.FullPath);
                projects[entry.FullPath] = project;
                result.Problems.AddRange(project.Problems);
                if (project.ProjectGuid.Length > 0 && project.ProjectGuid != entry.ProjectGuid)
                {
                    result.Problems.Add(new CheckProblem(solutionRelative, entry.Line, "NFS004",
                        $"{entry.Name}: the solution's GUID {{{entry.ProjectGuid}}} differs from the project's ProjectGuid {{{project.ProjectGuid}}}"));
                }

                CheckPackages(files, Path.GetDirectoryName(solutionPath)!, project, catalog, result);
            }

            var compiled = new Dictionary<string, ProjectCompileResult>(StringComparer.Ordinal);
            var order = CompileOrder(files, projects, result);
            var selected = Selected(projects, order, options.Projects);
            foreach (var project in order)
            {
                if (!options.Compile || !selected.Contains(project.FullPath))
                {
                    continue;
                }

                if (project.Problems.Any(p => p.Code == "NFS011"))
                {
                    continue; // an unreadable project or packages.config: its references are unknown, compiling would only add noise
                }

                var references = new List<MetadataReference>();
                foreach (var assembly in project.Packages
                    .Where(p => catalog.Packages.ContainsKey(p.Id))
                    .SelectMany(p => catalog.Packages[p.Id].Assemblies)
                    .Distinct(StringComparer.Ordinal))
                {
                    if (result.Stubs.Contains(assembly))
                    {
                        references.Add(result.Stubs.Reference(assembly));
                    }
                }

                foreach (var reference in project.ProjectReferences)
                {
                    if (compiled.TryGetValue(reference, out var other) && other.Image != null)
                    {
                        references.Add(MetadataReference.CreateFromImage(other.Image, filePath: other.Name + ".dll"));
                    }
                }

                var sources = options.IncludeProjectSources
                    ? project.CompileFiles.Select(f => (files.Relative(f), files.ReadAllText(f))).ToList()
                    : new List<(string, string)>();
                foreach (var extra in options.ExtraSources ?? Array.Empty<(string, string, string)>())
                {
                    if (extra.Project == project.Name)
                    {
                        sources.Add((extra.Path, extra.Text));
                    }
                }

                var compileResult = SurfaceCompiler.Compile(files, project, sources, references, asLibrary: !options.IncludeProjectSources);
                compiled[project.FullPath] = compileResult;
                result.Projects.Add(compileResult);
                if (compileResult.Image != null && options.IncludeProjectSources)
                {
                    var measure = AssemblyLimits.Measure(project.AssemblyName, compileResult.Image);
                    result.Measures.Add(measure);
                    result.LimitProblems.AddRange(AssemblyLimits.Problems(measure));
                }
            }

            if (options.Compile && options.IncludeProjectSources)
            {
                MeasureApplications(projects, compiled, result.Measures, catalog, nanoApi, result);
            }

            result.Elapsed = stopwatch.Elapsed;
            return result;
        }

        /// <summary>Writes the report: problems, diagnostics, one line per project, the verdict and the time.</summary>
        public static void Report(SurfaceCheckResult result, TextWriter output)
        {
            foreach (var problem in result.Problems)
            {
                output.WriteLine(problem);
            }

            foreach (var project in result.Projects)
            {
                foreach (var d in project.Diagnostics.Where(d => d.Severity == "error"))
                {
                    output.WriteLine(d);
                }

                foreach (var d in project.Diagnostics.Where(d => d.Severity == "warning"))
                {
                    output.WriteLine($"{d} [warnings are errors in the firmware build]");
                }
            }

            foreach (var project in result.Projects)
            {
                output.WriteLine(project.Summary);
            }

            if (result.Measures.Count > 0)
            {
                AssemblyLimits.Report(result.Measures, result.Applications, output);
            }

            foreach (var problem in result.LimitProblems)
            {
                output.WriteLine("error NFS070: " + problem);
            }

            string stubs = result.Stubs == null ? "" : $"{result.Stubs.Images.Count} stubs {(result.Stubs.FromCache ? "loaded from cache" : "generated")} in {result.Stubs.Elapsed.TotalSeconds:F1} s; ";
            output.WriteLine($"surface check {(result.Passed ? "passed" : "FAILED")}: {result.Projects.Count} projects, {result.Problems.Count} consistency problems, " +
                $"{result.Diagnostics.Count(d => d.Severity == "error")} errors, {result.Diagnostics.Count(d => d.Severity == "warning")} warnings, {result.LimitProblems.Count} over a limit ({stubs}total {result.Elapsed.TotalSeconds:F1} s)");
        }

        private static void CheckSolution(RepoFiles files, string solutionPath, IReadOnlyList<SolutionProject> projects, SurfaceCheckResult result)
        {
            string relative = files.Relative(solutionPath);
            foreach (var group in projects.GroupBy(p => p.ProjectGuid).Where(g => g.Count() > 1))
            {
                result.Problems.Add(new CheckProblem(relative, group.Last().Line, "NFS002", $"project GUID {{{group.Key}}} is used by more than one project"));
            }

            foreach (var p in projects)
            {
                bool isProjectFile = p.RelativePath.EndsWith("proj", StringComparison.OrdinalIgnoreCase);
                if (isProjectFile && !files.Exists(p.FullPath))
                {
                    result.Problems.Add(new CheckProblem(relative, p.Line, "NFS003", $"project '{p.RelativePath}' does not exist"));
                }
            }

            var listed = new HashSet<string>(projects.Select(p => p.FullPath), StringComparer.OrdinalIgnoreCase);
            foreach (var folder in ProjectFolders)
            {
                foreach (var file in files.EnumerateFiles(Path.Combine(files.Root, folder)))
                {
                    string rel = files.Relative(file);
                    if (file.EndsWith(".nfproj", StringComparison.OrdinalIgnoreCase) && !rel.Contains("/bin/", StringComparison.Ordinal) &&
                        !rel.Contains("/obj/", StringComparison.Ordinal) && !listed.Contains(file))
                    {
                        result.Problems.Add(new CheckProblem(relative, 0, "NFS005", $"{rel} is not listed in the solution"));
                    }
                }
            }
        }

        private static void CheckPackages(RepoFiles files, string solutionDirectory, NfProject project, PackageCatalog catalog, SurfaceCheckResult result)
        {
            string projectRelative = files.Relative(project.FullPath);
            string configRelative = files.Relative(project.PackagesConfigPath);
            if (!files.Exists(project.PackagesConfigPath))
            {
                result.Problems.Add(new CheckProblem(projectRelative, 0, "NFS030", "packages.config is missing beside the project"));
                return;
            }

            var byFolder = new Dictionary<string, PackageReference>(StringComparer.OrdinalIgnoreCase);
            foreach (var package in project.Packages)
            {
                if (!catalog.Packages.TryGetValue(package.Id, out var pin))
                {
                    result.Problems.Add(new CheckProblem(configRelative, package.Line, "NFS031",
                        $"package '{package.Id}' is not part of the nanoFramework surface (tools/nano-api/packages.tsv)"));
                    continue;
                }

                if (pin.PackageId != package.Id)
                {
                    result.Problems.Add(new CheckProblem(configRelative, package.Line, "NFS032", $"package id '{package.Id}' is spelled '{pin.PackageId}' in packages.tsv"));
                }

                if (package.Version != pin.Version)
                {
                    result.Problems.Add(new CheckProblem(configRelative, package.Line, "NFS033",
                        $"package '{package.Id}' version {package.Version} differs from the pin {pin.Version} in tools/nano-api/packages.tsv"));
                }

                if (!byFolder.TryAdd(package.Id + "." + package.Version, package))
                {
                    result.Problems.Add(new CheckProblem(configRelative, package.Line, "NFS034", $"package '{package.Id}' is listed twice"));
                }
            }

            string packagesRoot = Path.Combine(solutionDirectory, "packages") + Path.DirectorySeparatorChar;
            var referencedAssemblies = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var reference in project.References)
            {
                string name = reference.Include.Split(',')[0].Trim();
                if (reference.HintPath == null)
                {
                    result.Problems.Add(new CheckProblem(projectRelative, reference.Line, "NFS040", $"Reference '{name}' has no HintPath"));
                    continue;
                }

                string hint = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project.FullPath)!, reference.HintPath.Replace('\\', Path.DirectorySeparatorChar)));
                string[] parts = hint.StartsWith(packagesRoot, StringComparison.Ordinal)
                    ? hint.Substring(packagesRoot.Length).Split(Path.DirectorySeparatorChar)
                    : Array.Empty<string>();
                if (parts.Length != 3 || parts[1] != "lib" || !parts[2].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                {
                    result.Problems.Add(new CheckProblem(projectRelative, reference.Line, "NFS041",
                        $"HintPath '{reference.HintPath}' is not packages\\<id>.<version>\\lib\\<assembly>.dll beside the solution"));
                    continue;
                }

                string assembly = parts[2].Substring(0, parts[2].Length - 4);
                if (!byFolder.TryGetValue(parts[0], out var package))
                {
                    result.Problems.Add(new CheckProblem(projectRelative, reference.Line, "NFS042",
                        $"HintPath '{reference.HintPath}' names package folder '{parts[0]}', which packages.config does not list at that version"));
                    continue;
                }

                if (!catalog.Packages.TryGetValue(package.Id, out var pin) || !pin.Assemblies.Contains(assembly, StringComparer.Ordinal))
                {
                    result.Problems.Add(new CheckProblem(projectRelative, reference.Line, "NFS043", $"package '{package.Id}' does not ship {assembly}.dll"));
                    continue;
                }

                referencedAssemblies[assembly] = referencedAssemblies.GetValueOrDefault(assembly) + 1;
                if (name != assembly)
                {
                    result.Problems.Add(new CheckProblem(projectRelative, reference.Line, "NFS044", $"Reference '{name}' points at {assembly}.dll"));
                }

                if (catalog.Identities.TryGetValue(assembly, out var identity))
                {
                    var version = ReferenceVersion.Match(reference.Include);
                    if (version.Success && version.Groups["v"].Value != identity.Version)
                    {
                        result.Problems.Add(new CheckProblem(projectRelative, reference.Line, "NFS045",
                            $"Reference '{name}' says Version={version.Groups["v"].Value}; the assembly's version is {identity.Version}"));
                    }

                    var token = ReferenceToken.Match(reference.Include);
                    if (token.Success && !string.Equals(token.Groups["t"].Value, identity.PublicKeyToken, StringComparison.OrdinalIgnoreCase))
                    {
                        result.Problems.Add(new CheckProblem(projectRelative, reference.Line, "NFS046",
                            $"Reference '{name}' says PublicKeyToken={token.Groups["t"].Value}; the assembly's token is {identity.PublicKeyToken}"));
                    }
                }
            }

            var shippedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var package in project.Packages.Where(p => catalog.Packages.ContainsKey(p.Id)))
            {
                foreach (var assembly in catalog.Packages[package.Id].Assemblies)
                {
                    if (!shippedBy.TryGetValue(assembly, out var list))
                    {
                        shippedBy[assembly] = list = new List<string>();
                    }

                    list.Add(package.Id);
                }
            }

            foreach (var pair in shippedBy)
            {
                int count = referencedAssemblies.GetValueOrDefault(pair.Key);
                if (count == 0)
                {
                    result.Problems.Add(new CheckProblem(projectRelative, 0, "NFS047",
                        $"package '{pair.Value[0]}' ships {pair.Key}.dll, but the project has no Reference with that HintPath"));
                }
                else if (count > 1)
                {
                    result.Problems.Add(new CheckProblem(projectRelative, 0, "NFS048", $"{pair.Key}.dll is referenced {count} times (reference it from one package only)"));
                }
            }
        }

        /// <summary>The projects to compile: the named ones (every one when null) and, transitively, the projects they reference.</summary>
        private static HashSet<string> Selected(Dictionary<string, NfProject> projects, List<NfProject> order, IReadOnlyCollection<string>? names)
        {
            var selected = new HashSet<string>(StringComparer.Ordinal);
            void Add(NfProject project)
            {
                if (!selected.Add(project.FullPath))
                {
                    return;
                }

                foreach (var reference in project.ProjectReferences)
                {
                    if (projects.TryGetValue(reference, out var other))
                    {
                        Add(other);
                    }
                }
            }

            foreach (var project in order.Where(p => names == null || names.Contains(p.Name)))
            {
                Add(project);
            }

            return selected;
        }

        private static List<NfProject> CompileOrder(RepoFiles files, Dictionary<string, NfProject> projects, SurfaceCheckResult result)
        {
            var order = new List<NfProject>();
            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            void Visit(NfProject project)
            {
                if (state.TryGetValue(project.FullPath, out int s))
                {
                    if (s == 1)
                    {
                        result.Problems.Add(new CheckProblem(files.Relative(project.FullPath), 0, "NFS051", "ProjectReference cycle"));
                    }

                    return;
                }

                state[project.FullPath] = 1;
                foreach (var reference in project.ProjectReferences)
                {
                    if (projects.TryGetValue(reference, out var other))
                    {
                        Visit(other);
                    }
                    else
                    {
                        result.Problems.Add(new CheckProblem(files.Relative(project.FullPath), 0, "NFS050",
                            $"ProjectReference '{files.Relative(reference)}' is not an .nfproj of the solution"));
                    }
                }

                state[project.FullPath] = 2;
                order.Add(project);
            }

            foreach (var project in projects.Values)
            {
                Visit(project);
            }

            return order;
        }
    }
}
