using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.SurfaceCheck
{
    /// <summary>One compiler diagnostic of a device project, with its path relative to the repository root.</summary>
    public sealed record SurfaceDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message)
    {
        /// <summary>MSBuild-style: <c>path(line,col): error CSxxxx: message</c>.</summary>
        public override string ToString() => $"{File}({Line},{Column}): {Severity} {Id}: {Message}";
    }

    /// <summary>The outcome of compiling one device project.</summary>
    public sealed class ProjectCompileResult
    {
        /// <summary>Project name.</summary>
        public string Name { get; init; } = "";

        /// <summary>Number of source files compiled.</summary>
        public int FileCount { get; init; }

        /// <summary>Number of references (stubs plus referenced projects).</summary>
        public int ReferenceCount { get; init; }

        /// <summary>Error and warning diagnostics (warnings fail the check too: firmware builds treat them as errors).</summary>
        public IReadOnlyList<SurfaceDiagnostic> Diagnostics { get; init; } = new List<SurfaceDiagnostic>();

        /// <summary>The compiled image (used as the reference of projects that reference this one); null on errors.</summary>
        public byte[]? Image { get; init; }

        /// <summary>Errors.</summary>
        public int ErrorCount => Diagnostics.Count(d => d.Severity == "error");

        /// <summary>Warnings.</summary>
        public int WarningCount => Diagnostics.Count(d => d.Severity == "warning");

        /// <summary>One-line summary: <c>Gateway.Firmware: 42 files, 37 references, 0 errors, 0 warnings</c>.</summary>
        public string Summary => $"{Name}: {FileCount} files, {ReferenceCount} references, {ErrorCount} errors, {WarningCount} warnings";
    }

    /// <summary>
    /// Compiles a device project's sources with Roslyn against exactly the given references (no standard library),
    /// with the project's language version and the symbols the nanoFramework toolchain defines.
    /// </summary>
    public static class SurfaceCompiler
    {
        /// <summary>Symbols the nanoFramework project system defines for every device build.</summary>
        public static readonly IReadOnlyList<string> ToolchainSymbols = new[] { "NANOFRAMEWORK_1_0" };

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, string Text, CSharpParseOptions Options), SyntaxTree> ParseCache = new();

        /// <summary>
        /// Parses a file, reusing the tree when the same text was parsed with equal options (shared-project files are
        /// compiled into several projects, and tests re-check the same tree many times).
        /// </summary>
        private static SyntaxTree Parse(string path, string text, CSharpParseOptions options)
        {
            if (ParseCache.Count > 20000)
            {
                ParseCache.Clear();
            }

            return ParseCache.GetOrAdd((path, text, options), key => CSharpSyntaxTree.ParseText(key.Text, key.Options, path: key.Path));
        }

        /// <summary>Compiles one project (<paramref name="asLibrary"/>: no entry point required, for probes without the project's sources).</summary>
        public static ProjectCompileResult Compile(RepoFiles files, NfProject project, IReadOnlyList<(string Path, string Text)> sources,
            IReadOnlyList<MetadataReference> references, bool asLibrary = false)
        {
            if (!LanguageVersionFacts.TryParse(project.LangVersion, out var languageVersion))
            {
                return new ProjectCompileResult
                {
                    Name = project.Name,
                    Diagnostics = new[] { new SurfaceDiagnostic(files.Relative(project.FullPath), 0, 0, "error", "NFS060", $"unknown LangVersion '{project.LangVersion}'") },
                };
            }

            var parseOptions = new CSharpParseOptions(languageVersion, DocumentationMode.Parse, SourceCodeKind.Regular,
                ToolchainSymbols.Concat(project.DefineConstants).Distinct(StringComparer.Ordinal));
            var trees = sources.Select(s => Parse(s.Path, s.Text, parseOptions)).ToList();
            var suppress = project.NoWarn
                .Select(n => n.StartsWith("CS", StringComparison.OrdinalIgnoreCase) ? n.ToUpperInvariant() : "CS" + n.TrimStart('0').PadLeft(4, '0'))
                .ToDictionary(n => n, _ => ReportDiagnostic.Suppress);
            var nullable = project.Nullable.ToLowerInvariant() switch
            {
                "enable" => NullableContextOptions.Enable,
                "warnings" => NullableContextOptions.Warnings,
                "annotations" => NullableContextOptions.Annotations,
                _ => NullableContextOptions.Disable,
            };
            var options = new CSharpCompilationOptions(
                !asLibrary && string.Equals(project.OutputType, "Exe", StringComparison.OrdinalIgnoreCase) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                warningLevel: 4,
                allowUnsafe: project.AllowUnsafeBlocks,
                nullableContextOptions: nullable,
                specificDiagnosticOptions: suppress,
                optimizationLevel: OptimizationLevel.Release,
                deterministic: true,
                concurrentBuild: true);
            var compilation = CSharpCompilation.Create(project.AssemblyName, trees, references, options);

            using var stream = new MemoryStream();
            var emit = compilation.Emit(stream);
            var diagnostics = emit.Diagnostics
                .Where(d => !d.IsSuppressed && (d.Severity == DiagnosticSeverity.Error || d.Severity == DiagnosticSeverity.Warning))
                .Select(d => ToSurfaceDiagnostic(files, project, d))
                .Concat(ProjectRules(files, compilation))
                .Distinct()
                .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)
                .ToList();
            return new ProjectCompileResult
            {
                Name = project.Name,
                FileCount = sources.Count,
                ReferenceCount = references.Count,
                Diagnostics = diagnostics,
                Image = emit.Success ? stream.ToArray() : null,
            };
        }

        /// <summary>
        /// Project rules on top of the compiler. NFS101: System.Console is not used (logging goes through Debug).
        /// NFS100: the nanoFramework 1.x runtime executes no generics, although mscorlib declares a few generic delegates
        /// (Action&lt;T&gt;, Func&lt;T&gt;, EventHandler&lt;T&gt;) the compiler accepts. Reports generic declarations, generic names
        /// and lambdas converted to a generic delegate (C# 10 natural types). No API of the surface has a generic type in
        /// its signature, so naming a generic type is the only other way in.
        /// </summary>
        public static IEnumerable<SurfaceDiagnostic> ProjectRules(RepoFiles files, CSharpCompilation compilation)
        {
            var found = new List<SurfaceDiagnostic>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                var lines = new HashSet<int>();
                foreach (var node in tree.GetRoot().DescendantNodes())
                {
                    string? what = node switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.TypeParameterListSyntax => "a generic type or method declaration",
                        Microsoft.CodeAnalysis.CSharp.Syntax.GenericNameSyntax g => $"the generic name '{g}'",
                        Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: "Console" } id
                            when model.GetSymbolInfo(id).Symbol is INamedTypeSymbol { Name: "Console", ContainingNamespace.Name: "System" }
                            => "System.Console",
                        Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax e when model.GetTypeInfo(e).ConvertedType is INamedTypeSymbol { IsGenericType: true } t
                            => $"a lambda converted to the generic delegate '{t.ToDisplayString()}'",
                        _ => null,
                    };
                    if (what == null)
                    {
                        continue;
                    }

                    var span = node.GetLocation().GetLineSpan();
                    if (!lines.Add(span.StartLinePosition.Line))
                    {
                        continue;
                    }

                    string path = Path.IsPathRooted(span.Path) ? files.Relative(span.Path) : span.Path.Replace('\\', '/');
                    found.Add(what == "System.Console"
                        ? new SurfaceDiagnostic(path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, "error", "NFS101",
                            "System.Console exists in CoreLibrary 1.17 but firmware code logs through System.Diagnostics.Debug (project rule)")
                        : new SurfaceDiagnostic(path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, "error", "NFS100",
                            $"{what}: the nanoFramework 1.x runtime has no generics (project rule)"));
                }
            }

            return found;
        }

        private static SurfaceDiagnostic ToSurfaceDiagnostic(RepoFiles files, NfProject project, Diagnostic d)
        {
            string severity = d.Severity == DiagnosticSeverity.Error ? "error" : "warning";
            if (d.Location.IsInSource)
            {
                var span = d.Location.GetLineSpan();
                string path = span.Path;
                string relative = Path.IsPathRooted(path) ? files.Relative(path) : path.Replace('\\', '/');
                return new SurfaceDiagnostic(relative, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, severity, d.Id,
                    d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            }

            return new SurfaceDiagnostic(files.Relative(project.FullPath), 1, 1, severity, d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
