using System;
using System.Diagnostics;
using System.IO;

namespace Gateway.Tests.Codec
{
    /// <summary>Repository paths and the node runner the codec tests share.</summary>
    internal static class CodecPaths
    {
        public static string RepoRoot
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Gateway.Host.slnx")))
                {
                    dir = dir.Parent;
                }

                return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
            }
        }

        public static string DecoderJs => Path.Combine(RepoRoot, "tools", "decoder-js");

        public static string VectorFile => Path.Combine(RepoRoot, "tests", "vectors", "codec-v1.json");

        /// <summary>Version-2 vectors, each with the receiver context it decodes in (Codec/README.md §9.3).</summary>
        public static string VectorFileV2 => Path.Combine(RepoRoot, "tests", "vectors", "codec-v2.json");

        public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

        /// <summary>Runs node with arguments; fails (never skips) when node is not installed.</summary>
        public static (int ExitCode, string Stdout, string Stderr) Node(params string[] args)
        {
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            Process p;
            try
            {
                p = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException(
                    "node is not installed: install the Debian package nodejs (sudo apt-get install nodejs, or ./scripts/setup.sh) — " + e.Message);
            }

            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(180_000))
            {
                p.Kill(true);
                throw new TimeoutException("node ran for more than 3 minutes: " + string.Join(' ', args));
            }

            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
