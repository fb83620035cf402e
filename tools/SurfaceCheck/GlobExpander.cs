using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.SurfaceCheck
{
    /// <summary>
    /// MSBuild item-spec expansion: <c>Include</c> and <c>Exclude</c> lists separated by ';', backslash or slash paths,
    /// wildcards <c>*</c> (within a folder), <c>?</c> (one character) and <c>**</c> (any number of folders).
    /// Matching ignores case, as MSBuild does on Windows where the device build runs.
    /// </summary>
    public static class GlobExpander
    {
        /// <summary>
        /// The files an item matches, sorted ordinally. A spec without wildcards names one file, returned whether or
        /// not it exists (the caller reports missing files). Relative specs are relative to <paramref name="baseDirectory"/>.
        /// </summary>
        public static IReadOnlyList<string> Expand(RepoFiles files, string baseDirectory, string include, string? exclude)
        {
            var excludes = Split(exclude).Select(e => ToRegex(Absolute(baseDirectory, e))).ToList();
            var result = new List<string>();
            foreach (var spec in Split(include))
            {
                string absolute = Absolute(baseDirectory, spec);
                if (!HasWildcard(absolute))
                {
                    string resolved = ResolveCase(files, absolute);
                    if (!excludes.Any(r => r.IsMatch(Normalize(resolved))))
                    {
                        result.Add(resolved);
                    }

                    continue;
                }

                string root = FixedPrefixDirectory(absolute);
                var pattern = ToRegex(absolute);
                foreach (var file in files.EnumerateFiles(root))
                {
                    string normalized = Normalize(file);
                    if (pattern.IsMatch(normalized) && !excludes.Any(r => r.IsMatch(normalized)))
                    {
                        result.Add(file);
                    }
                }
            }

            return result.Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal).ToList();
        }

        /// <summary>True when the spec has a wildcard.</summary>
        public static bool HasWildcard(string spec) => spec.IndexOfAny(new[] { '*', '?' }) >= 0;

        /// <summary>Converts a glob (absolute, any separators) into a regular expression over '/'-separated paths.</summary>
        public static Regex ToRegex(string glob)
        {
            string g = Normalize(glob);
            var sb = new StringBuilder("^");
            for (int i = 0; i < g.Length; i++)
            {
                char c = g[i];
                if (c == '*' && i + 1 < g.Length && g[i + 1] == '*')
                {
                    bool slashAfter = i + 2 < g.Length && g[i + 2] == '/';
                    sb.Append(slashAfter ? "(?:.*/)?" : ".*");
                    i += slashAfter ? 2 : 1;
                }
                else if (c == '*')
                {
                    sb.Append("[^/]*");
                }
                else if (c == '?')
                {
                    sb.Append("[^/]");
                }
                else
                {
                    sb.Append(Regex.Escape(c.ToString()));
                }
            }

            sb.Append('$');
            return new Regex(sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        private static IEnumerable<string> Split(string? list)
            => (list ?? "").Split(';').Select(s => s.Trim()).Where(s => s.Length > 0);

        private static string Absolute(string baseDirectory, string spec)
        {
            string path = spec.Replace('\\', '/');
            if (Path.IsPathRooted(path))
            {
                return path;
            }

            return Normalize(baseDirectory).TrimEnd('/') + "/" + path;
        }

        private static string Normalize(string path)
        {
            // Collapse "a/b/../c" segments before any wildcard, so the fixed prefix is a real folder.
            var parts = path.Replace('\\', '/').Split('/');
            var stack = new List<string>();
            foreach (var part in parts)
            {
                if (part == "." )
                {
                    continue;
                }

                if (part == ".." && stack.Count > 0 && stack[^1] != ".." && !HasWildcard(stack[^1]))
                {
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }

                stack.Add(part);
            }

            return string.Join("/", stack);
        }

        private static string FixedPrefixDirectory(string absoluteGlob)
        {
            var parts = Normalize(absoluteGlob).Split('/');
            var fixedParts = parts.TakeWhile(p => !HasWildcard(p)).ToList();
            if (fixedParts.Count == parts.Length)
            {
                fixedParts.RemoveAt(fixedParts.Count - 1);
            }

            string dir = string.Join("/", fixedParts);
            return Path.GetFullPath(dir.Length == 0 ? "/" : dir);
        }

        /// <summary>Finds an explicitly named file ignoring case (Windows semantics); returns the path as given if none.</summary>
        private static string ResolveCase(RepoFiles files, string absolute)
        {
            string full = Path.GetFullPath(Normalize(absolute));
            if (files.Exists(full))
            {
                return full;
            }

            string? dir = Path.GetDirectoryName(full);
            if (dir != null && Directory.Exists(dir))
            {
                var match = Directory.EnumerateFiles(dir).FirstOrDefault(f => string.Equals(f, full, StringComparison.OrdinalIgnoreCase));
                if (match != null)
                {
                    return match;
                }
            }

            return full;
        }
    }
}
