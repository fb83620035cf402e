using System;
using System.IO;

namespace Gateway.Tests.Uplink
{
    /// <summary>Paths of the repository and of the shared data beside it, found from the test assembly's folder.</summary>
    internal static class RepoPaths
    {
        public static string Root { get; } = FindRoot();

        public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "test.sh")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("repository root (test.sh) not found above " + AppContext.BaseDirectory);
        }
    }
}
