using System;
using System.IO;

namespace Gateway.SurfaceCheck
{
    /// <summary>
    /// Command line: <c>Gateway.SurfaceCheck --solution Gateway.nfproj.sln [--repo DIR] [--no-cache]</c>;
    /// <c>--dump-stub ASSEMBLY</c> prints one generated stub source.
    /// </summary>
    public static class Program
    {
        /// <summary>Runs the check; exit code 0 only when everything passes (1: failures, 2: usage).</summary>
        public static int Main(string[] args)
        {
            string? solution = null;
            string repo = ".";
            string? dumpStub = null;
            bool noCache = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--solution" when i + 1 < args.Length:
                        solution = args[++i];
                        break;
                    case "--repo" when i + 1 < args.Length:
                        repo = args[++i];
                        break;
                    case "--dump-stub" when i + 1 < args.Length:
                        dumpStub = args[++i];
                        break;
                    case "--no-cache":
                        noCache = true;
                        break;
                    default:
                        return Usage();
                }
            }

            if (dumpStub != null)
            {
                Console.Write(StubSet.GenerateSource(Path.Combine(Path.GetFullPath(repo), "tools", "nano-api"), dumpStub));
                return 0;
            }

            if (solution == null)
            {
                return Usage();
            }

            try
            {
                string root = Path.GetFullPath(repo);
                var result = SurfaceChecker.Run(new SurfaceCheckOptions
                {
                    RepoRoot = root,
                    Solution = solution,
                    UseStubCache = !noCache,
                });
                SurfaceChecker.Report(result, Console.Out);
                return result.Passed ? 0 : 1;
            }
            catch (StubCompilationException e)
            {
                Console.Error.WriteLine("surface check FAILED: " + e.Message);
                return 1;
            }
        }

        private static int Usage()
        {
            Console.Error.WriteLine("usage: Gateway.SurfaceCheck --solution Gateway.nfproj.sln [--repo DIR] [--no-cache] | --dump-stub ASSEMBLY [--repo DIR]");
            return 2;
        }
    }
}
