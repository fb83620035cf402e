using System.Collections.Generic;

namespace Gateway.SurfaceCheck
{
    /// <summary>A package line of packages.config.</summary>
    public sealed record PackageReference(string Id, string Version, int Line);

    /// <summary>A &lt;Reference&gt; item of an .nfproj with its HintPath.</summary>
    public sealed record AssemblyReferenceItem(string Include, string? HintPath, int Line);

    /// <summary>A problem found while reading or checking a project (reported as a failing check).</summary>
    public sealed record CheckProblem(string File, int Line, string Code, string Message)
    {
        /// <summary>MSBuild-style line: <c>path(line): error CODE: message</c>.</summary>
        public override string ToString() => Line > 0 ? $"{File}({Line}): error {Code}: {Message}" : $"{File}: error {Code}: {Message}";
    }

    /// <summary>What the check needs from one .nfproj: its compile set, language version, output and references.</summary>
    public sealed class NfProject
    {
        /// <summary>Absolute path of the .nfproj.</summary>
        public string FullPath { get; init; } = "";

        /// <summary>Project name (the file name without extension).</summary>
        public string Name { get; init; } = "";

        /// <summary>AssemblyName (the project name when absent).</summary>
        public string AssemblyName { get; init; } = "";

        /// <summary>ProjectGuid without braces, upper case ("" when absent).</summary>
        public string ProjectGuid { get; init; } = "";

        /// <summary>"Exe" or "Library".</summary>
        public string OutputType { get; init; } = "Library";

        /// <summary>LangVersion (9.0 when absent: the stable nanoFramework project system's default).</summary>
        public string LangVersion { get; init; } = "9.0";

        /// <summary>Nullable (disable when absent).</summary>
        public string Nullable { get; init; } = "disable";

        /// <summary>AllowUnsafeBlocks.</summary>
        public bool AllowUnsafeBlocks { get; init; }

        /// <summary>Warning numbers of NoWarn (e.g. "CS0168" or "168").</summary>
        public IReadOnlyList<string> NoWarn { get; init; } = new List<string>();

        /// <summary>Extra preprocessor symbols from DefineConstants.</summary>
        public IReadOnlyList<string> DefineConstants { get; init; } = new List<string>();

        /// <summary>Every source file compiled (absolute paths, own items then shared projects, no duplicates).</summary>
        public IReadOnlyList<string> CompileFiles { get; init; } = new List<string>();

        /// <summary>Imported shared projects (.projitems), absolute paths.</summary>
        public IReadOnlyList<string> SharedImports { get; init; } = new List<string>();

        /// <summary>Referenced .nfproj projects, absolute paths.</summary>
        public IReadOnlyList<string> ProjectReferences { get; init; } = new List<string>();

        /// <summary>&lt;Reference&gt; items.</summary>
        public IReadOnlyList<AssemblyReferenceItem> References { get; init; } = new List<AssemblyReferenceItem>();

        /// <summary>packages.config entries (empty when the file is absent).</summary>
        public IReadOnlyList<PackageReference> Packages { get; init; } = new List<PackageReference>();

        /// <summary>Absolute path of packages.config.</summary>
        public string PackagesConfigPath { get; init; } = "";

        /// <summary>Problems found while reading (missing files, unreadable XML, unevaluated properties).</summary>
        public IReadOnlyList<CheckProblem> Problems { get; init; } = new List<CheckProblem>();
    }
}
