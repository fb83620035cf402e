using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Gateway.SurfaceCheck
{
    /// <summary>What one compiled device assembly holds, against the limits of the nanoFramework PE format and runtime.</summary>
    public sealed class AssemblyMeasure
    {
        /// <summary>Assembly name.</summary>
        public string Name { get; init; } = "";

        /// <summary>Bytes of IL in method bodies (the code the metadata processor turns into byte code).</summary>
        public int IlBytes { get; init; }

        /// <summary>UTF-8 bytes (with terminators) of the distinct user strings and identifiers: the PE's string table.</summary>
        public int StringBytes { get; init; }

        /// <summary>The most virtual methods of one type, and that type.</summary>
        public (int Count, string Type) MaxVirtual { get; init; }

        /// <summary>The most non-virtual instance methods of one type, and that type.</summary>
        public (int Count, string Type) MaxInstance { get; init; }

        /// <summary>The most static methods of one type, and that type.</summary>
        public (int Count, string Type) MaxStatic { get; init; }

        /// <summary>Types, methods and fields defined.</summary>
        public int Types { get; init; }

        /// <summary>Methods defined.</summary>
        public int Methods { get; init; }

        /// <summary>Fields defined.</summary>
        public int Fields { get; init; }

        /// <summary>
        /// Estimate of the assembly's .pe size: three quarters of the compiled .dll. The real metadata processor's .pe of the
        /// project's own assemblies measured 0.58-0.70 of their .dll (Gateway.Core: 53,580 of 76,288 bytes; nanoFramework's
        /// class libraries 0.21-0.49), so this errs high. The IL and string figures above err high too: the metadata
        /// processor's byte code measured 0.75-0.78 of the IL, its string table 0.79-0.90 of this count.
        /// </summary>
        public int EstimatedPeBytes { get; init; }
    }

    /// <summary>An assembly an application loads, with its .pe size estimate and where the figure comes from.</summary>
    public sealed record LoadedAssembly(string Name, int EstimatedPeBytes, string Basis);

    /// <summary>The assemblies an application (an Exe or the test assembly) loads, and the deployment image they make.</summary>
    public sealed class ApplicationMeasure
    {
        /// <summary>Application project name.</summary>
        public string Name { get; init; } = "";

        /// <summary>Every assembly the application loads: itself, its project references and their packages' assemblies.</summary>
        public IReadOnlyList<LoadedAssembly> Assemblies { get; init; } = Array.Empty<LoadedAssembly>();

        /// <summary>Sum of the .pe estimates.</summary>
        public int ImageBytes => Assemblies.Sum(a => a.EstimatedPeBytes);
    }

    /// <summary>
    /// The limits of the nanoFramework 1.x PE format and runtime that every device assembly must respect, and their
    /// measurement on the assemblies the surface check compiled. The format addresses byte code and the string table with
    /// 16-bit offsets (65,535 bytes each); the project keeps IL at or below 48,000 bytes, three quarters of that, for room to
    /// grow. A type holds at most 255 virtual, 255 instance and 255 static methods; nanoCLR loads at most 64 assemblies
    /// (c_MaxAssemblies); the ESP32 deployment partition holds every .pe of an application: 1,792 KB on a 4 MB module.
    /// </summary>
    public static class AssemblyLimits
    {
        /// <summary>The project's IL budget per device assembly.</summary>
        public const int MaxIlBytes = 48000;

        /// <summary>The PE format's string table limit (16-bit offsets).</summary>
        public const int MaxStringBytes = 65535;

        /// <summary>Methods of one kind per type.</summary>
        public const int MaxMethodsPerKind = 255;

        /// <summary>Assemblies one application loads (nanoCLR c_MaxAssemblies).</summary>
        public const int MaxAssemblies = 64;

        /// <summary>The deployment partition of a 4 MB ESP32 module (partitions_nanoclr_4mb.csv), bytes.</summary>
        public const int DeploymentPartitionBytes = 1792 * 1024;

        /// <summary>Measures one compiled image.</summary>
        public static AssemblyMeasure Measure(string name, byte[] image)
        {
            using var pe = new PEReader(new MemoryStream(image));
            var md = pe.GetMetadataReader();
            int il = 0;
            var strings = new HashSet<string>(StringComparer.Ordinal);
            (int, string) maxVirtual = (0, ""), maxInstance = (0, ""), maxStatic = (0, "");
            int methods = 0, fields = 0, types = 0;
            foreach (var th in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(th);
                types++;
                string typeName = md.GetString(type.Name);
                string ns = md.GetString(type.Namespace);
                strings.Add(typeName);
                strings.Add(ns);
                int v = 0, inst = 0, st = 0;
                foreach (var mh in type.GetMethods())
                {
                    var m = md.GetMethodDefinition(mh);
                    methods++;
                    strings.Add(md.GetString(m.Name));
                    if ((m.Attributes & MethodAttributes.Static) != 0)
                    {
                        st++;
                    }
                    else if ((m.Attributes & MethodAttributes.Virtual) != 0)
                    {
                        v++;
                    }
                    else
                    {
                        inst++;
                    }

                    if (m.RelativeVirtualAddress != 0)
                    {
                        il += pe.GetMethodBody(m.RelativeVirtualAddress).GetILBytes()!.Length;
                    }
                }

                foreach (var fh in type.GetFields())
                {
                    var f = md.GetFieldDefinition(fh);
                    fields++;
                    strings.Add(md.GetString(f.Name));
                }

                string full = ns.Length == 0 ? typeName : ns + "." + typeName;
                if (v > maxVirtual.Item1)
                {
                    maxVirtual = (v, full);
                }

                if (inst > maxInstance.Item1)
                {
                    maxInstance = (inst, full);
                }

                if (st > maxStatic.Item1)
                {
                    maxStatic = (st, full);
                }
            }

            foreach (var rh in md.TypeReferences)
            {
                var r = md.GetTypeReference(rh);
                strings.Add(md.GetString(r.Name));
                strings.Add(md.GetString(r.Namespace));
            }

            foreach (var mh in md.MemberReferences)
            {
                var r = md.GetMemberReference(mh);
                strings.Add(md.GetString(r.Name));
            }

            // User strings (ldstr literals): walk the #US heap.
            var us = MetadataTokens.UserStringHandle(1);
            int usSize = md.GetHeapSize(HeapIndex.UserString);
            while (!us.IsNil && MetadataTokens.GetHeapOffset(us) < usSize)
            {
                strings.Add(md.GetUserString(us));
                us = md.GetNextHandle(us);
            }

            strings.Remove("");
            int stringBytes = strings.Sum(s => Encoding.UTF8.GetByteCount(s) + 1);
            return new AssemblyMeasure
            {
                Name = name,
                IlBytes = il,
                StringBytes = stringBytes,
                MaxVirtual = maxVirtual,
                MaxInstance = maxInstance,
                MaxStatic = maxStatic,
                Types = types,
                Methods = methods,
                Fields = fields,
                EstimatedPeBytes = image.Length * 3 / 4,
            };
        }

        /// <summary>The limit problems of one measured assembly (empty when within every limit).</summary>
        public static IEnumerable<string> Problems(AssemblyMeasure m)
        {
            if (m.IlBytes > MaxIlBytes)
            {
                yield return $"{m.Name}: {m.IlBytes:N0} bytes of IL, over the {MaxIlBytes:N0}-byte budget per device assembly (the PE format's byte code limit is 65,535): split it";
            }

            if (m.StringBytes > MaxStringBytes)
            {
                yield return $"{m.Name}: string table of {m.StringBytes:N0} bytes, over the PE format's 65,535";
            }

            foreach (var (kind, (count, type)) in new[] { ("virtual", m.MaxVirtual), ("instance", m.MaxInstance), ("static", m.MaxStatic) })
            {
                if (count > MaxMethodsPerKind)
                {
                    yield return $"{m.Name}: {type} has {count} {kind} methods, over the format's {MaxMethodsPerKind}";
                }
            }
        }

        /// <summary>The limit problems of one application.</summary>
        public static IEnumerable<string> Problems(ApplicationMeasure app)
        {
            if (app.Assemblies.Count > MaxAssemblies)
            {
                yield return $"{app.Name}: loads {app.Assemblies.Count} assemblies, over nanoCLR's {MaxAssemblies}";
            }

            if (app.ImageBytes > DeploymentPartitionBytes)
            {
                yield return $"{app.Name}: deployment image of about {app.ImageBytes / 1024:N0} KB, over the 4 MB module's {DeploymentPartitionBytes / 1024:N0} KB partition";
            }
        }

        /// <summary>
        /// .pe estimate of a package assembly from the surface's public member count (the surface holds no bodies):
        /// 1 KB plus 100 bytes per public member. Measured .pe per public member of nanoFramework's class libraries:
        /// 26 (mscorlib) to 97 bytes (BinaryPrimitives), so this errs high.
        /// </summary>
        public static int EstimatePackageAssembly(int publicMembers) => 1024 + publicMembers * 100;

        /// <summary>Writes the table of assemblies and applications.</summary>
        public static void Report(IReadOnlyList<AssemblyMeasure> assemblies, IReadOnlyList<ApplicationMeasure> apps, TextWriter output)
        {
            output.WriteLine($"{"device assembly",-26} {"IL bytes",9} {"of 48,000",9} {"strings",8} {"types",6} {"methods",8} {"max virt/inst/static per type",30} {"est. .pe",9}");
            foreach (var m in assemblies)
            {
                output.WriteLine($"{m.Name,-26} {m.IlBytes,9:N0} {100.0 * m.IlBytes / MaxIlBytes,8:F0}% {m.StringBytes,8:N0} {m.Types,6} {m.Methods,8} {$"{m.MaxVirtual.Count}/{m.MaxInstance.Count}/{m.MaxStatic.Count}",30} {m.EstimatedPeBytes,9:N0}");
            }

            foreach (var app in apps)
            {
                int ours = app.Assemblies.Count(a => a.Basis == "compiled");
                output.WriteLine($"application {app.Name}: loads {app.Assemblies.Count} assemblies (limit {MaxAssemblies}; {ours} of the project's, {app.Assemblies.Count - ours} of packages), " +
                    $"deployment image about {app.ImageBytes / 1024:N0} KB of the {DeploymentPartitionBytes / 1024:N0} KB partition ({100.0 * app.ImageBytes / DeploymentPartitionBytes:F0}%)");
            }
        }
    }
}
