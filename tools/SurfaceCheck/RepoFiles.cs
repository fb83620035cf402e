using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Gateway.SurfaceCheck
{
    /// <summary>
    /// The repository as the check sees it: files on disk, with optional in-memory overrides (replace a file's text,
    /// or add a file that does not exist on disk). Paths are absolute or relative to the repository root.
    /// </summary>
    public sealed class RepoFiles
    {
        private readonly Dictionary<string, string> _overrides = new(StringComparer.Ordinal);

        /// <summary>The repository root (absolute, no trailing separator).</summary>
        public string Root { get; }

        /// <summary>Creates the view of a repository.</summary>
        public RepoFiles(string root, IReadOnlyDictionary<string, string>? overrides = null)
        {
            Root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
            foreach (var pair in overrides ?? new Dictionary<string, string>())
            {
                _overrides[Full(pair.Key)] = pair.Value;
            }
        }

        /// <summary>The absolute path of a repository-relative (or absolute) path; backslashes are accepted.</summary>
        public string Full(string path)
        {
            path = path.Replace('\\', Path.DirectorySeparatorChar);
            return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Root, path));
        }

        /// <summary>The path relative to the repository root, with forward slashes.</summary>
        public string Relative(string fullPath)
            => Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

        /// <summary>True when the file exists (on disk or as an override).</summary>
        public bool Exists(string fullPath) => _overrides.ContainsKey(fullPath) || File.Exists(fullPath);

        /// <summary>The file's text (an override wins over the disk).</summary>
        public string ReadAllText(string fullPath)
            => _overrides.TryGetValue(fullPath, out var text) ? text : File.ReadAllText(fullPath);

        /// <summary>Every file below a directory (recursive), disk and overrides, sorted ordinally.</summary>
        public IReadOnlyList<string> EnumerateFiles(string directory)
        {
            var files = new SortedSet<string>(StringComparer.Ordinal);
            if (Directory.Exists(directory))
            {
                foreach (var f in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
                {
                    files.Add(f);
                }
            }

            string prefix = directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            foreach (var f in _overrides.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            {
                files.Add(f);
            }

            return files.ToList();
        }
    }
}
