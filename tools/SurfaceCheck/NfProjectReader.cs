using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Gateway.SurfaceCheck
{
    /// <summary>
    /// Reads an .nfproj the way the nanoFramework project system evaluates what matters to the compiler: properties
    /// (with $(...) from unconditional property groups of the nearest Directory.Build.props and the project),
    /// Compile items (own and from imported shared .projitems, wildcards expanded), ProjectReference, Reference
    /// HintPaths and packages.config.
    /// </summary>
    public static class NfProjectReader
    {
        private static readonly Regex PropertyUse = new(@"\$\((?<name>[A-Za-z_][A-Za-z0-9_.-]*)\)", RegexOptions.CultureInvariant);

        /// <summary>Reads one project.</summary>
        public static NfProject Read(RepoFiles files, string projectFullPath)
        {
            var problems = new List<CheckProblem>();
            string relative = files.Relative(projectFullPath);
            string directory = Path.GetDirectoryName(projectFullPath)!;
            string name = Path.GetFileNameWithoutExtension(projectFullPath);
            if (!files.Exists(projectFullPath))
            {
                problems.Add(new CheckProblem(relative, 0, "NFS010", "project file not found"));
                return new NfProject { FullPath = projectFullPath, Name = name, AssemblyName = name, Problems = problems };
            }

            XDocument doc;
            try
            {
                doc = XDocument.Parse(files.ReadAllText(projectFullPath), LoadOptions.SetLineInfo);
            }
            catch (XmlException e)
            {
                problems.Add(new CheckProblem(relative, e.LineNumber, "NFS011", "not valid XML: " + e.Message));
                return new NfProject { FullPath = projectFullPath, Name = name, AssemblyName = name, Problems = problems };
            }

            var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? buildProps = FindDirectoryBuildProps(files, directory);
            if (buildProps != null)
            {
                try
                {
                    var propsDoc = XDocument.Parse(files.ReadAllText(buildProps));
                    CollectProperties(propsDoc, properties, buildProps);
                }
                catch (XmlException)
                {
                    // Directory.Build.props is checked by the host build.
                }
            }

            properties["MSBuildProjectDirectory"] = directory;
            properties["MSBuildProjectName"] = name;
            properties["MSBuildProjectExtension"] = ".nfproj";
            CollectProperties(doc, properties, projectFullPath);

            string Prop(string key, string fallback) => properties.TryGetValue(key, out var v) && v.Trim().Length > 0 ? v.Trim() : fallback;

            var compile = new List<string>();
            var shared = new List<string>();
            AddCompileItems(files, doc, projectFullPath, properties, compile, problems);
            foreach (var import in Elements(doc, "Import"))
            {
                string? project = (string?)import.Attribute("Project");
                if (project == null || !project.EndsWith(".projitems", StringComparison.OrdinalIgnoreCase))
                {
                    continue; // the project-system imports (NFProjectSystem.*.props/targets) are conditional on Exists()
                }

                string importPath = Path.GetFullPath(Path.Combine(directory, Expand(project, properties).Replace('\\', Path.DirectorySeparatorChar)));
                if (!files.Exists(importPath))
                {
                    problems.Add(new CheckProblem(relative, LineOf(import), "NFS012", $"imported shared project '{project}' does not exist"));
                    continue;
                }

                shared.Add(importPath);
                try
                {
                    var sharedDoc = XDocument.Parse(files.ReadAllText(importPath), LoadOptions.SetLineInfo);
                    var sharedProperties = new Dictionary<string, string>(properties, StringComparer.OrdinalIgnoreCase)
                    {
                        ["MSBuildThisFileDirectory"] = Path.GetDirectoryName(importPath)! + Path.DirectorySeparatorChar,
                        ["MSBuildThisFileFullPath"] = importPath,
                    };
                    AddCompileItems(files, sharedDoc, importPath, sharedProperties, compile, problems);
                }
                catch (XmlException e)
                {
                    problems.Add(new CheckProblem(files.Relative(importPath), e.LineNumber, "NFS011", "not valid XML: " + e.Message));
                }
            }

            var projectReferences = Elements(doc, "ProjectReference")
                .Select(e => (string?)e.Attribute("Include"))
                .Where(i => i != null)
                .Select(i => Path.GetFullPath(Path.Combine(directory, Expand(i!, properties).Replace('\\', Path.DirectorySeparatorChar))))
                .ToList();

            var references = Elements(doc, "Reference")
                .Select(e => new AssemblyReferenceItem(
                    (string?)e.Attribute("Include") ?? "",
                    e.Elements().FirstOrDefault(c => c.Name.LocalName == "HintPath")?.Value.Trim(),
                    LineOf(e)))
                .ToList();

            string packagesConfig = Path.Combine(directory, "packages.config");
            var packages = new List<PackageReference>();
            if (files.Exists(packagesConfig))
            {
                try
                {
                    var pc = XDocument.Parse(files.ReadAllText(packagesConfig), LoadOptions.SetLineInfo);
                    foreach (var p in pc.Descendants().Where(e => e.Name.LocalName == "package"))
                    {
                        packages.Add(new PackageReference((string?)p.Attribute("id") ?? "", (string?)p.Attribute("version") ?? "", LineOf(p)));
                    }
                }
                catch (XmlException e)
                {
                    problems.Add(new CheckProblem(files.Relative(packagesConfig), e.LineNumber, "NFS011", "not valid XML: " + e.Message));
                }
            }

            foreach (var property in new[] { "LangVersion", "OutputType", "AssemblyName", "Nullable", "DefineConstants", "NoWarn" })
            {
                if (properties.TryGetValue(property, out var value) && value.Contains("$(", StringComparison.Ordinal))
                {
                    problems.Add(new CheckProblem(relative, 0, "NFS013", $"property {property} = '{value}' uses a property the check cannot evaluate"));
                }
            }

            return new NfProject
            {
                FullPath = projectFullPath,
                Name = name,
                AssemblyName = Prop("AssemblyName", name),
                ProjectGuid = Prop("ProjectGuid", "").Trim('{', '}').ToUpperInvariant(),
                OutputType = Prop("OutputType", "Library"),
                LangVersion = Prop("LangVersion", "9.0"),
                Nullable = Prop("Nullable", "disable"),
                AllowUnsafeBlocks = string.Equals(Prop("AllowUnsafeBlocks", "false"), "true", StringComparison.OrdinalIgnoreCase),
                NoWarn = Prop("NoWarn", "").Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                DefineConstants = Prop("DefineConstants", "").Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                CompileFiles = compile.Distinct(StringComparer.Ordinal).ToList(),
                SharedImports = shared,
                ProjectReferences = projectReferences,
                References = references,
                Packages = packages,
                PackagesConfigPath = packagesConfig,
                Problems = problems,
            };
        }

        private static void AddCompileItems(RepoFiles files, XDocument doc, string fileFullPath, Dictionary<string, string> properties,
            List<string> compile, List<CheckProblem> problems)
        {
            string directory = Path.GetDirectoryName(fileFullPath)!;
            foreach (var item in Elements(doc, "Compile"))
            {
                string? include = (string?)item.Attribute("Include");
                string? remove = (string?)item.Attribute("Remove");
                if (remove != null)
                {
                    var removed = new HashSet<string>(GlobExpander.Expand(files, directory, Expand(remove, properties), null), StringComparer.Ordinal);
                    compile.RemoveAll(removed.Contains);
                    continue;
                }

                if (include == null)
                {
                    continue;
                }

                string exclude = Expand((string?)item.Attribute("Exclude") ?? "", properties);
                string expanded = Expand(include, properties);
                foreach (var file in GlobExpander.Expand(files, directory, expanded, exclude))
                {
                    if (!files.Exists(file))
                    {
                        problems.Add(new CheckProblem(files.Relative(fileFullPath), LineOf(item), "NFS014", $"Compile item '{include}' names a file that does not exist"));
                        continue;
                    }

                    compile.Add(file);
                }
            }
        }

        private static void CollectProperties(XDocument doc, Dictionary<string, string> properties, string fileFullPath)
        {
            foreach (var group in doc.Root?.Elements().Where(e => e.Name.LocalName == "PropertyGroup") ?? Enumerable.Empty<XElement>())
            {
                if (group.Attribute("Condition") != null)
                {
                    continue; // conditional groups (configuration, host-only settings) do not apply to the device compile
                }

                foreach (var p in group.Elements())
                {
                    if (p.Attribute("Condition") != null)
                    {
                        continue;
                    }

                    var local = new Dictionary<string, string>(properties, StringComparer.OrdinalIgnoreCase)
                    {
                        ["MSBuildThisFileDirectory"] = Path.GetDirectoryName(fileFullPath)! + Path.DirectorySeparatorChar,
                    };
                    properties[p.Name.LocalName] = Expand(p.Value, local);
                }
            }
        }

        private static string? FindDirectoryBuildProps(RepoFiles files, string directory)
        {
            for (string? dir = directory; dir != null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, "Directory.Build.props");
                if (files.Exists(candidate))
                {
                    return candidate;
                }

                if (string.Equals(dir, files.Root, StringComparison.Ordinal))
                {
                    break;
                }
            }

            return null;
        }

        /// <summary>Expands $(Name) from known properties; unknown properties are left as written.</summary>
        public static string Expand(string text, IReadOnlyDictionary<string, string> properties)
            => PropertyUse.Replace(text, m => properties.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

        private static IEnumerable<XElement> Elements(XDocument doc, string localName)
            => doc.Descendants().Where(e => e.Name.LocalName == localName);

        private static int LineOf(XElement element) => element is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
    }
}
