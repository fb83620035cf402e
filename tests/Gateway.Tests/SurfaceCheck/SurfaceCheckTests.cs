using System.Collections.Generic;
using System.Linq;
using Gateway.SurfaceCheck;
using Xunit;

namespace Gateway.Tests.SurfaceCheck
{
    /// <summary>
    /// The nanoFramework surface check: the real device solution passes; code the 1.x runtime cannot run is rejected
    /// with the file and line; valid nanoFramework code is accepted (the stubs are not stricter than the real API).
    /// </summary>
    public class SurfaceCheckTests
    {
        private const string ReadingPath = "firmware/Gateway.Core/Sensing/Reading.cs";

        [Fact]
        public void RealDeviceSolutionPasses()
        {
            var result = SurfaceFixture.Check();

            Assert.True(result.Passed, SurfaceFixture.Describe(result));
            Assert.Contains(result.Projects, p => p.Name == "Gateway.Firmware" && p.FileCount > 0);
            Assert.Contains(result.Projects, p => p.Name == "Gateway.DeviceTests" && p.FileCount > 0);
        }

        [Fact]
        public void EveryStubKeepsTheRealAssemblyIdentity()
        {
            var catalog = PackageCatalog.Load(System.IO.Path.Combine(SurfaceFixture.RepoRoot, "tools", "nano-api"));
            var stubs = SurfaceFixture.Stubs;

            Assert.Equal(50, stubs.Images.Count);
            foreach (var identity in catalog.Identities.Values)
            {
                using var pe = new System.Reflection.PortableExecutable.PEReader(new System.IO.MemoryStream(stubs.Images[identity.Name]));
                var name = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe).GetAssemblyDefinition().GetAssemblyName();
                Assert.Equal(identity.Name, name.Name);
                Assert.Equal(identity.Version, name.Version!.ToString());
                byte[] tokenBytes = name.GetPublicKeyToken() ?? System.Array.Empty<byte>();
                string token = tokenBytes.Length == 0 ? "null" : System.Convert.ToHexString(tokenBytes).ToLowerInvariant();
                Assert.Equal(identity.PublicKeyToken, token);
            }
        }

        [Fact]
        public void GenericListInARealFirmwareFileFailsWithThatFileAndLine()
        {
            var lines = SurfaceFixture.ReadLines(ReadingPath);
            int ctor = lines.FindIndex(l => l.Contains("public Reading(", System.StringComparison.Ordinal));
            Assert.True(ctor >= 0, "Reading's constructor not found");
            int open = lines.FindIndex(ctor, l => l.Trim() == "{");
            lines.Insert(open + 1, "            var l = new System.Collections.Generic.List<int>();");
            int expectedLine = open + 2;

            // Asking for the application compiles the libraries it references first: the error is found in Gateway.Core.
            var result = SurfaceFixture.Check(new Dictionary<string, string> { [ReadingPath] = string.Join("\n", lines) }, projects: new[] { "Gateway.Firmware" });

            Assert.False(result.Passed);
            Assert.Contains(result.Diagnostics, d => d.File == ReadingPath && d.Line == expectedLine && d.Severity == "error");
            Assert.Contains($"{ReadingPath}({expectedLine},", SurfaceFixture.Describe(result));
        }

        [Theory]
        [InlineData("string s = string.Join(\",\", new string[] { \"a\", \"b\" });", "CS0117")]
        [InlineData("string s = \"abc\".Replace(\"a\", \"b\");", "CS1061")]
        [InlineData("string s = System.Console.ReadLine();", "CS0117")]
        [InlineData("System.Console.WriteLine(\"x\");", "NFS101")]
        [InlineData("int? x = null;", "CS0518")]
        [InlineData("(int, int) t = (1, 2);", "CS8179")]
        [InlineData("var q = from v in new int[] { 1, 2 } select v * 2;", "CS1935")]
        [InlineData("System.Span<byte> s = new byte[4];", "CS0234")]
        [InlineData("decimal d = 1.5m;", "CS0518")]
        [InlineData("System.Func<int> f = () => 1;", "NFS100")]
        [InlineData("System.Action<object> a = o => { };", "NFS100")]
        [InlineData("var d = new System.Collections.Generic.Dictionary<string, int>();", "CS0234")]
        public void ApiOrLanguageFeatureMissingOnTheDeviceIsAnError(string statement, string expectedId)
        {
            var result = SurfaceFixture.CheckFirmwareSource(SurfaceFixture.InMethod(statement));

            Assert.False(result.Passed);
            var errors = result.Diagnostics.Where(d => d.Severity == "error").ToList();
            Assert.Contains(errors, d => d.Id == expectedId && d.File == "firmware/Gateway.Firmware/SurfaceProbe.cs" && d.Line == SurfaceFixture.StatementLine);
        }

        [Theory]
        [InlineData("System.TimeSpan t; long x = t.Ticks;", "CS0165")]
        [InlineData("object o = new System.SpanByte(new byte[4]);", "CS0029")]
        [InlineData("var e = new System.IO.Ports.SerialDataReceivedEventArgs();", "CS1729")]
        [InlineData("System.Guid g; System.Guid.TryParseGuidWithDashes(\"x\", out g);", "CS0618")]
        [InlineData("int[] a = new int[2]; int n = a.Count;", "CS1061")]
        [InlineData("System.Collections.ArrayList l = new System.Collections.ArrayList(); l.Add<int>(1);", "CS0308")]
        public void StubsKeepTheRealApisCompileTimeRules(string statement, string expectedId)
        {
            var result = SurfaceFixture.CheckFirmwareSource(SurfaceFixture.InMethod(statement));

            Assert.Contains(result.Diagnostics, d => d.Id == expectedId && d.Line == SurfaceFixture.StatementLine);
        }

        [Fact]
        public void StubsKeepAttributeUsageSealedTypesAndEventEncapsulation()
        {
            const string source = @"using System;
namespace Gateway.Firmware.Probe
{
    [Flags]
    internal sealed class NotAnEnum { }

    internal sealed class MyPin : System.Device.Gpio.GpioPin { }

    internal static class Probe
    {
        internal static void Run(System.IO.Ports.SerialPort port)
        {
            port.DataReceived(null, null);
            string s = ""abc""; char c = s[1]; TimeSpan span = DateTime.UtcNow - DateTime.UtcNow; bool late = span > TimeSpan.Zero;
        }
    }
}
";
            var result = SurfaceFixture.CheckFirmwareSource(source);

            Assert.Contains(result.Diagnostics, d => d.Id == "CS0592" && d.Line == 4);
            Assert.Contains(result.Diagnostics, d => d.Id == "CS0509" && d.Line == 7);
            Assert.Contains(result.Diagnostics, d => d.Id == "CS0079" && d.Line == 13);
            Assert.DoesNotContain(result.Diagnostics, d => d.Line == 14);
        }

        [Fact]
        public void AsyncTaskIsAnError()
        {
            const string source = "using System.Threading.Tasks;\nnamespace Gateway.Firmware.Probe\n{\n    internal static class Probe\n    {\n" +
                "        internal static async Task RunAsync()\n        {\n            await Task.Delay(10);\n        }\n    }\n}\n";

            var result = SurfaceFixture.CheckFirmwareSource(source);

            Assert.Contains(result.Diagnostics, d => d.Severity == "error" && d.File == "firmware/Gateway.Firmware/SurfaceProbe.cs" && d.Line == 1);
            Assert.Contains(result.Diagnostics, d => d.Severity == "error" && d.Line == 6);
        }

        [Fact]
        public void LinqNamespaceIsAnError()
        {
            var result = SurfaceFixture.CheckFirmwareSource(SurfaceFixture.InMethod("int n = new int[] { 1 }.Count();", "using System;\nusing System.Linq;"));

            Assert.Contains(result.Diagnostics, d => d.Severity == "error" && d.Id == "CS0234" && d.Line == 2);
            Assert.Contains(result.Diagnostics, d => d.Severity == "error" && d.Line == SurfaceFixture.StatementLine + 1);
        }

        [Fact]
        public void ValidNanoFrameworkCodePasses()
        {
            const string source = @"using System;
using System.Collections;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;

namespace Gateway.Firmware.Probe
{
    [Flags]
    internal enum ProbeFlags : byte { None = 0, First = 1, Second = 2 }

    internal struct ProbePoint
    {
        public int X;
        public int Y;
        public ProbePoint(int x, int y) { X = x; Y = y; }
    }

    internal interface IProbe { int Measure(byte[] buffer, int offset, int count); }

    internal delegate void ProbeHandler(object sender, int value);

    internal sealed class ProbeSource : IProbe, IDisposable
    {
        private readonly ArrayList _list = new ArrayList();
        private readonly Hashtable _table = new Hashtable();
        private readonly HMACSHA256 _hmac = new HMACSHA256(new byte[16]);
        private readonly object _gate = new object();
        private Timer _timer;

        public event ProbeHandler Measured;

        public int Measure(byte[] buffer, int offset, int count)
        {
            _list.Add(count);
            _table[""key""] = offset;
            double root = Math.Sqrt(2.0) + Math.Abs(-1.5) + Math.Round(2.5);
            string text = string.Format(""{0} {1}"", count, root.ToString(""F2"")) + count.ToString(""X4"") + $""{offset:D3}"";
            Debug.WriteLine(text);
            ProbeFlags flags = ProbeFlags.First | ProbeFlags.Second;
            var point = new ProbePoint(1, 2);
            ProbeHandler handler = Measured;
            if (handler != null)
            {
                handler(this, point.X);
            }

            foreach (object item in _list)
            {
                Debug.WriteLine(item.ToString());
            }

            lock (_gate)
            {
                byte[] tag = _hmac.ComputeHash(buffer);
                Array.Copy(tag, 0, buffer, offset, 4);
            }

            _timer = new Timer(OnTick, null, 1000, Timeout.Infinite);
            long now = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
            var thread = new Thread(() => Thread.Sleep(1));
            thread.Start();
            int value;
            bool parsed = int.TryParse(""42"", out value);
            switch (flags)
            {
                case ProbeFlags.First: return 1;
                default: return parsed ? value + (int)(now & 1) : 0;
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            _hmac.Dispose();
        }

        private void OnTick(object state)
        {
            Measured += (s, v) => Debug.WriteLine(v.ToString());
        }
    }
}
";
            var result = SurfaceFixture.CheckFirmwareSource(source);

            Assert.True(result.Passed, SurfaceFixture.Describe(result));
        }

        [Fact]
        public void WarningsFailTheCheckAndArePrintedAsWarnings()
        {
            var result = SurfaceFixture.CheckFirmwareSource(SurfaceFixture.InMethod("int unused;"));

            Assert.False(result.Passed);
            var warning = Assert.Single(result.Diagnostics);
            Assert.Equal("warning", warning.Severity);
            Assert.Equal("CS0168", warning.Id);
            Assert.Contains("warning CS0168", SurfaceFixture.Describe(result));
        }

        [Fact]
        public void PackageVersionMismatchIsReported()
        {
            const string config = "firmware/Gateway.Firmware/packages.config";
            string text = System.IO.File.ReadAllText(System.IO.Path.Combine(SurfaceFixture.RepoRoot, config))
                .Replace("id=\"nanoFramework.System.Math\" version=\"1.5.116\"", "id=\"nanoFramework.System.Math\" version=\"1.5.100\"", System.StringComparison.Ordinal);

            var result = SurfaceFixture.Check(new Dictionary<string, string> { [config] = text }, compile: false);

            Assert.False(result.Passed);
            Assert.Contains(result.Problems, p => p.Code == "NFS033" && p.File == config && p.Message.Contains("1.5.100") && p.Message.Contains("1.5.116"));
            // The HintPath still names 1.5.116, which packages.config no longer lists.
            Assert.Contains(result.Problems, p => p.Code == "NFS042" && p.Message.Contains("nanoFramework.System.Math.1.5.116"));
        }

        [Fact]
        public void ReferenceWithoutItsPackageIsReported()
        {
            const string config = "tests/Gateway.DeviceTests/packages.config";
            string text = System.IO.File.ReadAllText(System.IO.Path.Combine(SurfaceFixture.RepoRoot, config))
                .Replace("<package id=\"nanoFramework.TestFramework\"", "<!-- removed --><x id=\"x\"", System.StringComparison.Ordinal);

            var result = SurfaceFixture.Check(new Dictionary<string, string> { [config] = text }, projects: new[] { "Gateway.DeviceTests" });

            Assert.Contains(result.Problems, p => p.Code == "NFS042" && p.File == "tests/Gateway.DeviceTests/Gateway.DeviceTests.nfproj");
            // Without the package the stub is not referenced, so the tests no longer compile either.
            Assert.Contains(result.Diagnostics, d => d.Severity == "error" && d.File.StartsWith("tests/Gateway.DeviceTests/", System.StringComparison.Ordinal));
        }

        [Fact]
        public void PackageWithoutItsReferenceIsReported()
        {
            const string project = "tests/Gateway.DeviceTests/Gateway.DeviceTests.nfproj";
            const string config = "tests/Gateway.DeviceTests/packages.config";
            string text = System.IO.File.ReadAllText(System.IO.Path.Combine(SurfaceFixture.RepoRoot, config))
                .Replace("</packages>", "  <package id=\"nanoFramework.System.Diagnostics.Stopwatch\" version=\"1.2.862\" targetFramework=\"netnano1.0\" />\n</packages>", System.StringComparison.Ordinal);

            var result = SurfaceFixture.Check(new Dictionary<string, string> { [config] = text }, compile: false);

            Assert.Contains(result.Problems, p => p.Code == "NFS047" && p.File == project && p.Message.Contains("System.Diagnostics.Stopwatch.dll"));
        }

        [Fact]
        public void UnreadablePackagesConfigIsReportedAndTheProjectIsNotCompiled()
        {
            const string config = "tests/Gateway.DeviceTests/packages.config";

            var result = SurfaceFixture.Check(new Dictionary<string, string> { [config] = "<packages>\n<<<<<<< HEAD\n</packages>" },
                projects: new[] { "Gateway.DeviceTests" });

            Assert.Contains(result.Problems, p => p.Code == "NFS011" && p.File == config && p.Line == 2);
            Assert.DoesNotContain(result.Projects, p => p.Name == "Gateway.DeviceTests");
        }

        [Fact]
        public void ProjectMissingFromTheSolutionIsReported()
        {
            const string extra = "tests/Gateway.DeviceTests/Extra/Extra.nfproj";
            string text = System.IO.File.ReadAllText(System.IO.Path.Combine(SurfaceFixture.RepoRoot, "tests/Gateway.DeviceTests/Gateway.DeviceTests.nfproj"));

            var result = SurfaceFixture.Check(new Dictionary<string, string> { [extra] = text }, compile: false);

            Assert.Contains(result.Problems, p => p.Code == "NFS005" && p.Message.Contains(extra));
        }

        [Fact]
        public void MissingSharedProjectImportIsReported()
        {
            const string project = "firmware/Gateway.Core.Nano/Gateway.Core.nfproj";
            string text = System.IO.File.ReadAllText(System.IO.Path.Combine(SurfaceFixture.RepoRoot, project))
                .Replace("Gateway.Core.projitems", "Gateway.Missing.projitems", System.StringComparison.Ordinal);

            var result = SurfaceFixture.Check(new Dictionary<string, string> { [project] = text }, compile: false);

            Assert.Contains(result.Problems, p => p.Code == "NFS012" && p.File == project);
        }

        [Fact]
        public void SharedProjectWildcardCompilesANewFileIntoEveryImportingProject()
        {
            const string path = "firmware/Gateway.Core/SurfaceProbe/Probe.cs";
            const string stale = "firmware/Gateway.Core/bin/Release/Stale.cs";
            var files = new RepoFiles(SurfaceFixture.RepoRoot, new Dictionary<string, string>
            {
                [path] = SurfaceFixture.InMethod("var l = new System.Collections.Generic.List<int>();"),
                [stale] = "this is not C#",
            });
            string full = files.Full(path);

            foreach (var projectPath in new[] { "firmware/Gateway.Core.Nano/Gateway.Core.nfproj" })
            {
                var project = NfProjectReader.Read(files, files.Full(projectPath));
                Assert.Contains(full, project.CompileFiles);
                Assert.DoesNotContain(files.Full(stale), project.CompileFiles);
                Assert.DoesNotContain(project.CompileFiles, f => f.Contains("/bin/", System.StringComparison.Ordinal) || f.Contains("/obj/", System.StringComparison.Ordinal));
            }

            var result = SurfaceFixture.Check(new Dictionary<string, string> { [path] = SurfaceFixture.InMethod("var l = new System.Collections.Generic.List<int>();") },
                projects: new[] { "Gateway.DeviceTests" });
            Assert.Contains(result.Diagnostics, d => d.File == path && d.Line == SurfaceFixture.StatementLine);
        }

        [Fact]
        public void EveryDeviceAssemblyIsMeasuredWithinTheLimitsAndTheApplicationsAreCounted()
        {
            var result = SurfaceFixture.Check(new Dictionary<string, string>());

            Assert.True(result.Passed, SurfaceFixture.Describe(result));
            foreach (var name in new[] { "Gateway.Core", "Gateway.Control", "Gateway.Bindings.Sensors", "Gateway.Bindings.Rak3172", "Gateway.Bindings.Sim7080", "Gateway.Hardware.Esp32", "Gateway.Firmware", "NFUnitTest" })
            {
                var m = Assert.Single(result.Measures, x => x.Name == name);
                Assert.InRange(m.IlBytes, 1, AssemblyLimits.MaxIlBytes);
                Assert.InRange(m.StringBytes, 1, AssemblyLimits.MaxStringBytes);
            }

            var app = Assert.Single(result.Applications, a => a.Name == "Gateway.Firmware");
            Assert.Contains(app.Assemblies, a => a.Name == "mscorlib");
            Assert.Contains(app.Assemblies, a => a.Name == "Gateway.Control" && a.Basis == "compiled");
            Assert.InRange(app.Assemblies.Count, 8, AssemblyLimits.MaxAssemblies);
            var tests = Assert.Single(result.Applications, a => a.Name == "Gateway.DeviceTests");
            Assert.Contains(tests.Assemblies, a => a.Name == "nanoFramework.TestFramework");
        }

        [Fact]
        public void AnAssemblyPushedOverTheIlBudgetFailsTheCheckNamingIt()
        {
            // 100 methods of about 560 bytes of IL each, added to the sensor bindings (about 5 KB of IL today).
            var body = new System.Text.StringBuilder("namespace Gateway.Bindings.Bloat\n{\n    public static class Bloat\n    {\n");
            for (int k = 0; k < 100; k++)
            {
                body.Append("        public static int M").Append(k).Append("(int x)\n        {\n");
                for (int i = 0; i < 70; i++)
                {
                    body.Append("            x = (x * ").Append(i + 3).Append(") ^ (x >> ").Append(i % 7 + 1).Append(");\n");
                }

                body.Append("            return x;\n        }\n");
            }

            body.Append("    }\n}\n");
            var result = SurfaceChecker.Run(new SurfaceCheckOptions
            {
                RepoRoot = SurfaceFixture.RepoRoot,
                Solution = "Gateway.nfproj.sln",
                Stubs = SurfaceFixture.Stubs,
                ExtraSources = new[] { ("Gateway.Bindings.Sensors", "bindings/Bloat/Bloat.cs", body.ToString()) },
                Projects = new[] { "Gateway.Bindings.Sensors" },
            });

            Assert.False(result.Passed);
            var m = Assert.Single(result.Measures, x => x.Name == "Gateway.Bindings.Sensors");
            Assert.True(m.IlBytes > AssemblyLimits.MaxIlBytes, $"{m.IlBytes} IL bytes");
            var problem = Assert.Single(result.LimitProblems);
            Assert.StartsWith("Gateway.Bindings.Sensors: ", problem, System.StringComparison.Ordinal);
            Assert.Contains("48,000", problem, System.StringComparison.Ordinal);
            var output = new System.IO.StringWriter();
            SurfaceChecker.Report(result, output);
            Assert.Contains("error NFS070: Gateway.Bindings.Sensors: ", output.ToString(), System.StringComparison.Ordinal);
            Assert.Contains("surface check FAILED", output.ToString(), System.StringComparison.Ordinal);
        }
    }
}
