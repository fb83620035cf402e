using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.SurfaceCheck;

namespace Gateway.Tests.SurfaceCheck
{
    /// <summary>One stub build shared by every surface-check test (generated in memory, no cache).</summary>
    internal static class SurfaceFixture
    {
        /// <summary>The repository root (the folder holding Gateway.nfproj.sln above the test binaries).</summary>
        public static readonly string RepoRoot = FindRepoRoot();

        private static readonly Lazy<StubSet> LazyStubs = new(() => StubSet.Build(Path.Combine(RepoRoot, "tools", "nano-api"), cacheRoot: null));

        /// <summary>The shared stubs.</summary>
        public static StubSet Stubs => LazyStubs.Value;

        /// <summary>Runs the check on the real repository with optional overrides.</summary>
        public static SurfaceCheckResult Check(IReadOnlyDictionary<string, string>? overrides = null,
            IReadOnlyList<(string Project, string Path, string Text)>? extraSources = null,
            IReadOnlyCollection<string>? projects = null, bool compile = true, bool includeProjectSources = true)
            => SurfaceChecker.Run(new SurfaceCheckOptions
            {
                RepoRoot = RepoRoot,
                Solution = "Gateway.nfproj.sln",
                Stubs = Stubs,
                FileOverrides = overrides,
                ExtraSources = extraSources,
                Projects = projects,
                Compile = compile,
                IncludeProjectSources = includeProjectSources,
            });

        /// <summary>
        /// Compiles one probe file with the firmware project's references and settings (without the firmware's own
        /// sources, which <see cref="Check"/> covers), so each probe costs milliseconds.
        /// </summary>
        public static SurfaceCheckResult CheckFirmwareSource(string text, string path = "firmware/Gateway.Firmware/SurfaceProbe.cs")
            => Check(extraSources: new[] { ("Gateway.Firmware", path, text) }, projects: new[] { "Gateway.Firmware" }, includeProjectSources: false);

        /// <summary>The line of the statements placed by <see cref="InMethod"/> with its default usings.</summary>
        public const int StatementLine = 8;

        /// <summary>Wraps statements in a method of a class in a namespace.</summary>
        public static string InMethod(string statements, string usings = "using System;")
            => usings + "\nnamespace Gateway.Firmware.Probe\n{\n    internal static class Probe\n    {\n        internal static void Run()\n        {\n" +
               statements + "\n        }\n    }\n}\n";

        /// <summary>The diagnostics of a result as text (for assertion messages).</summary>
        public static string Describe(SurfaceCheckResult result)
        {
            var writer = new StringWriter();
            SurfaceChecker.Report(result, writer);
            return writer.ToString();
        }

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gateway.nfproj.sln")) && Directory.Exists(Path.Combine(dir.FullName, "tools", "nano-api")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("repository root with Gateway.nfproj.sln not found above " + AppContext.BaseDirectory);
        }

        /// <summary>Lines of a file of the repository.</summary>
        public static List<string> ReadLines(string relativePath)
            => File.ReadAllText(Path.Combine(RepoRoot, relativePath)).Replace("\r\n", "\n").Split('\n').ToList();
    }
}
