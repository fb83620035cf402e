using System.CommandLine;
using Gateway.Cloud.Fleet;

namespace Gateway.Cli
{
    /// <summary>The fleet page's options, shared by <c>cloud run --http</c> and <c>cloud serve</c>.</summary>
    public sealed class FleetHttpOptions
    {
        /// <summary>--http ADDR.</summary>
        public Option<string?> Http { get; } = new("--http")
        {
            Description = "serve the read-only fleet page at HOST:PORT (loopback unless --token-file is given too), e.g. 127.0.0.1:8080",
        };

        /// <summary>--token-file F.</summary>
        public Option<string?> TokenFile { get; } = new("--token-file")
        {
            Description = "file whose first line is the page's access token (mode 600, at least 16 characters); required for a non-loopback --http",
        };

        /// <summary>--refresh S.</summary>
        public Option<int> Refresh { get; } = new("--refresh")
        {
            Description = "seconds between the page's automatic reloads",
            DefaultValueFactory = _ => FleetServerSettings.DefaultRefreshSeconds,
        };

        /// <summary>The options, to add to a command.</summary>
        public Option[] All => new Option[] { Http, TokenFile, Refresh };

        /// <summary>The settings, or null when --http was not given (a <see cref="Gateway.Cloud.ConfigurationException"/> for a bad value).</summary>
        public FleetServerSettings? Read(ParseResult pr)
        {
            var http = pr.GetValue(Http);
            if (http is null)
            {
                if (pr.GetValue(TokenFile) is not null)
                {
                    throw new Gateway.Cloud.ConfigurationException("--token-file is for the fleet page: give --http HOST:PORT too");
                }

                return null;
            }

            return FleetServerSettings.Parse(http, pr.GetValue(TokenFile), pr.GetValue(Refresh));
        }
    }
}
