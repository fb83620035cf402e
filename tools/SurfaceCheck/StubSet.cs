using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.SurfaceCheck
{
    /// <summary>
    /// The 50 compiled reference stubs: generated from the surface JSON, compiled with Roslyn in dependency order
    /// (mscorlib first, with no references: it is the core library), cached under .build/nano-stubs/&lt;hash&gt;/.
    /// </summary>
    public sealed class StubSet
    {
        /// <summary>Bump when the generator changes so cached stubs are rebuilt.</summary>
        private const string GeneratorVersion = "3";

        private readonly Dictionary<string, MetadataReference> _references;

        /// <summary>The stub images by assembly name.</summary>
        public IReadOnlyDictionary<string, byte[]> Images { get; }

        /// <summary>True when the stubs came from the cache.</summary>
        public bool FromCache { get; }

        /// <summary>Time spent generating/compiling or loading the stubs.</summary>
        public TimeSpan Elapsed { get; }

        private StubSet(Dictionary<string, byte[]> images, bool fromCache, TimeSpan elapsed)
        {
            Images = images;
            FromCache = fromCache;
            Elapsed = elapsed;
            _references = images.ToDictionary(p => p.Key, p => (MetadataReference)MetadataReference.CreateFromImage(p.Value, filePath: p.Key + ".dll"), StringComparer.Ordinal);
        }

        /// <summary>The metadata reference to the stub of an assembly.</summary>
        public MetadataReference Reference(string assemblyName) => _references[assemblyName];

        /// <summary>True when a stub exists for the assembly.</summary>
        public bool Contains(string assemblyName) => _references.ContainsKey(assemblyName);

        /// <summary>
        /// Loads the stubs from the cache directory, or builds them (and fills the cache). <paramref name="cacheRoot"/>
        /// null disables the cache.
        /// </summary>
        public static StubSet Build(string nanoApiDirectory, string? cacheRoot)
        {
            var stopwatch = Stopwatch.StartNew();
            string jsonPath = Path.Combine(nanoApiDirectory, "nanoframework-surface.json");
            string identitiesPath = Path.Combine(nanoApiDirectory, "identities.tsv");
            string key = Hash(File.ReadAllBytes(jsonPath), File.ReadAllBytes(identitiesPath), Encoding.UTF8.GetBytes(GeneratorVersion));
            string? cacheDir = cacheRoot != null ? Path.Combine(cacheRoot, key) : null;
            var catalog = PackageCatalog.Load(nanoApiDirectory);

            if (cacheDir != null && File.Exists(Path.Combine(cacheDir, "complete")))
            {
                var cached = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var name in catalog.Identities.Keys)
                {
                    cached[name] = File.ReadAllBytes(Path.Combine(cacheDir, name + ".dll"));
                }

                return new StubSet(cached, fromCache: true, stopwatch.Elapsed);
            }

            var images = Compile(SurfaceDocument.Load(jsonPath), catalog, out var failures);
            if (failures.Count > 0)
            {
                throw new StubCompilationException(failures);
            }

            if (cacheDir != null)
            {
                WriteCache(cacheDir, images);
            }

            return new StubSet(images, fromCache: false, stopwatch.Elapsed);
        }

        /// <summary>Generates and compiles every stub; failures lists each stub's compile errors.</summary>
        public static Dictionary<string, byte[]> Compile(SurfaceDocument surface, PackageCatalog catalog, out List<string> failures)
        {
            failures = new List<string>();
            var generator = new StubGenerator(surface);
            var byName = surface.Assemblies.ToDictionary(a => a.Name, StringComparer.Ordinal);
            var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var references = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
            var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);

            foreach (var name in TopologicalOrder(catalog))
            {
                if (!byName.TryGetValue(name, out var assembly))
                {
                    failures.Add($"{name}: listed in identities.tsv but missing from the surface JSON");
                    continue;
                }

                var identity = catalog.Identities[name];
                if (identity.Version != assembly.Version)
                {
                    failures.Add($"{name}: identities.tsv version {identity.Version} differs from the JSON's {assembly.Version}");
                }

                string source = generator.Generate(assembly);
                var tree = CSharpSyntaxTree.ParseText(source, parseOptions, path: name + ".stub.cs");
                var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                    nullableContextOptions: NullableContextOptions.Disable,
                    allowUnsafe: true,
                    deterministic: true,
                    concurrentBuild: true,
                    generalDiagnosticOption: ReportDiagnostic.Suppress);
                if (assembly.PublicKey.Length > 0)
                {
                    options = options.WithPublicSign(true).WithCryptoPublicKey(ImmutableArray.Create(Convert.FromHexString(assembly.PublicKey)));
                }

                var refs = identity.References.Where(references.ContainsKey).Select(r => references[r]).ToList();
                var compilation = CSharpCompilation.Create(name, new[] { tree }, refs, options);
                using var stream = new MemoryStream();
                var result = compilation.Emit(stream);
                var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (!result.Success || errors.Count > 0)
                {
                    failures.Add($"{name}: {errors.Count} errors\n  " + string.Join("\n  ", errors.Take(40).Select(e => e.ToString())));
                    continue;
                }

                string token = compilation.Assembly.Identity.PublicKeyToken.Length == 0
                    ? "null"
                    : Convert.ToHexString(compilation.Assembly.Identity.PublicKeyToken.ToArray()).ToLowerInvariant();
                if (token != identity.PublicKeyToken)
                {
                    failures.Add($"{name}: public key token {token} differs from identities.tsv's {identity.PublicKeyToken}");
                }

                images[name] = stream.ToArray();
                references[name] = MetadataReference.CreateFromImage(images[name], filePath: name + ".dll");
            }

            return images;
        }

        /// <summary>The stub source of one assembly (for inspection).</summary>
        public static string GenerateSource(string nanoApiDirectory, string assemblyName)
        {
            var surface = SurfaceDocument.Load(Path.Combine(nanoApiDirectory, "nanoframework-surface.json"));
            return new StubGenerator(surface).Generate(surface.Assemblies.Single(a => a.Name == assemblyName));
        }

        private static List<string> TopologicalOrder(PackageCatalog catalog)
        {
            var order = new List<string>();
            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            void Visit(string name)
            {
                if (state.TryGetValue(name, out int s))
                {
                    if (s == 1)
                    {
                        throw new InvalidDataException($"identities.tsv: reference cycle through {name}");
                    }

                    return;
                }

                state[name] = 1;
                if (catalog.Identities.TryGetValue(name, out var identity))
                {
                    foreach (var r in identity.References)
                    {
                        Visit(r);
                    }
                }

                state[name] = 2;
                order.Add(name);
            }

            foreach (var name in catalog.Identities.Keys.OrderBy(n => n, StringComparer.Ordinal))
            {
                Visit(name);
            }

            return order;
        }

        private static void WriteCache(string cacheDir, Dictionary<string, byte[]> images)
        {
            try
            {
                Directory.CreateDirectory(cacheDir);
                foreach (var pair in images)
                {
                    string target = Path.Combine(cacheDir, pair.Key + ".dll");
                    string temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    File.WriteAllBytes(temp, pair.Value);
                    File.Move(temp, target, overwrite: true);
                }

                File.WriteAllText(Path.Combine(cacheDir, "complete"), DateTime.UtcNow.ToString("O"));
            }
            catch (IOException)
            {
                // A cache that cannot be written only costs time.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static string Hash(params byte[][] parts)
        {
            using var sha = SHA256.Create();
            foreach (var part in parts)
            {
                sha.TransformBlock(part, 0, part.Length, null, 0);
            }

            sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            return Convert.ToHexString(sha.Hash!).Substring(0, 16).ToLowerInvariant();
        }
    }

    /// <summary>Thrown when a generated stub does not compile.</summary>
    public sealed class StubCompilationException : Exception
    {
        /// <summary>One entry per failing stub.</summary>
        public IReadOnlyList<string> Failures { get; }

        /// <summary>Creates the exception.</summary>
        public StubCompilationException(IReadOnlyList<string> failures)
            : base("generated stubs do not compile:\n" + string.Join("\n", failures))
        {
            Failures = failures;
        }
    }
}
