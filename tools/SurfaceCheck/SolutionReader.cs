using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace Gateway.SurfaceCheck
{
    /// <summary>One project entry of a Visual Studio .sln file.</summary>
    public sealed record SolutionProject(string TypeGuid, string Name, string RelativePath, string FullPath, string ProjectGuid, int Line);

    /// <summary>Reads the project entries of a Visual Studio solution file.</summary>
    public static class SolutionReader
    {
        private static readonly Regex ProjectLine = new(
            "^Project\\(\"\\{(?<type>[0-9A-Fa-f-]+)\\}\"\\)\\s*=\\s*\"(?<name>[^\"]*)\"\\s*,\\s*\"(?<path>[^\"]*)\"\\s*,\\s*\"\\{(?<guid>[0-9A-Fa-f-]+)\\}\"",
            RegexOptions.CultureInvariant);

        /// <summary>Every project of the solution, in file order.</summary>
        public static IReadOnlyList<SolutionProject> Read(RepoFiles files, string solutionFullPath)
        {
            string directory = Path.GetDirectoryName(solutionFullPath)!;
            var projects = new List<SolutionProject>();
            var lines = files.ReadAllText(solutionFullPath).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                var m = ProjectLine.Match(lines[i].Trim());
                if (m.Success)
                {
                    string relative = m.Groups["path"].Value;
                    string full = Path.GetFullPath(Path.Combine(directory, relative.Replace('\\', Path.DirectorySeparatorChar)));
                    projects.Add(new SolutionProject(m.Groups["type"].Value.ToUpperInvariant(), m.Groups["name"].Value, relative, full,
                        m.Groups["guid"].Value.ToUpperInvariant(), i + 1));
                }
            }

            return projects;
        }

        /// <summary>The .nfproj entries of the solution.</summary>
        public static IEnumerable<SolutionProject> NfProjects(IEnumerable<SolutionProject> projects)
        {
            foreach (var p in projects)
            {
                if (p.RelativePath.EndsWith(".nfproj", StringComparison.OrdinalIgnoreCase))
                {
                    yield return p;
                }
            }
        }
    }
}
