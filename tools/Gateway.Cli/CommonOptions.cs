using System.CommandLine;

namespace Gateway.Cli
{
    /// <summary>Options shared by many commands, so every command spells them the same way.</summary>
    public static class CommonOptions
    {
        /// <summary>--json: print the figures as one JSON object.</summary>
        public static Option<bool> Json() => new("--json") { Description = "print the figures as one JSON object" };

        /// <summary>--seed: the seed of every random choice, so a run replays exactly.</summary>
        public static Option<int> Seed(int defaultSeed = 1) =>
            new("--seed") { Description = "seed for every random choice (a run replays exactly)", DefaultValueFactory = _ => defaultSeed };
    }
}
