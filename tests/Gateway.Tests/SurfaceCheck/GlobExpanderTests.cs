using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.SurfaceCheck;
using Xunit;

namespace Gateway.Tests.SurfaceCheck
{
    /// <summary>MSBuild item-spec expansion as the shared projects use it.</summary>
    public class GlobExpanderTests
    {
        private static readonly string Root = Path.Combine(Path.GetTempPath(), "glob-virtual-root");

        private static RepoFiles Files(params string[] paths)
            => new(Root, paths.ToDictionary(p => p, _ => "// x"));

        [Fact]
        public void RecursiveWildcardMatchesEveryFolderDepthAndHonoursExclude()
        {
            var files = Files("core/A.cs", "core/Sub/B.cs", "core/Sub/Deep/C.cs", "core/bin/D.cs", "core/obj/Debug/E.cs", "core/F.txt");
            string core = files.Full("core") + Path.DirectorySeparatorChar;

            var matched = GlobExpander.Expand(files, files.Full("core"), core + "**\\*.cs", core + "bin\\**;" + core + "obj\\**")
                .Select(files.Relative).ToList();

            Assert.Equal(new List<string> { "core/A.cs", "core/Sub/B.cs", "core/Sub/Deep/C.cs" }, matched);
        }

        [Fact]
        public void SingleStarStaysInOneFolderAndQuestionMarkMatchesOneCharacter()
        {
            var files = Files("p/A1.cs", "p/A22.cs", "p/Sub/A3.cs");

            Assert.Equal(new[] { "p/A1.cs", "p/A22.cs" }, GlobExpander.Expand(files, files.Full("p"), "*.cs", null).Select(files.Relative));
            Assert.Equal(new[] { "p/A1.cs" }, GlobExpander.Expand(files, files.Full("p"), "A?.cs", null).Select(files.Relative));
        }

        [Fact]
        public void ExplicitBackslashPathsWithParentSegmentsResolve()
        {
            var files = Files("a/b/Program.cs", "a/Shared/Util.cs");

            var matched = GlobExpander.Expand(files, files.Full("a/b"), "Program.cs;..\\Shared\\Util.cs", null).Select(files.Relative);

            Assert.Equal(new[] { "a/Shared/Util.cs", "a/b/Program.cs" }, matched);
        }
    }
}
