using System;
using System.Globalization;
using System.IO;
using System.Net;

namespace Gateway.Cloud.Fleet
{
    /// <summary>
    /// Where and for whom the fleet page is served. It binds to this host alone (loopback) unless an address and an
    /// access token are both given: a non-loopback address without a token is refused.
    /// </summary>
    public sealed class FleetServerSettings
    {
        /// <summary>Shortest access token accepted, characters.</summary>
        public const int MinTokenLength = 16;

        /// <summary>Default page refresh, seconds.</summary>
        public const int DefaultRefreshSeconds = 30;

        private FleetServerSettings(IPEndPoint endPoint, string? token, int refreshSeconds)
        {
            EndPoint = endPoint;
            Token = token;
            RefreshSeconds = refreshSeconds;
        }

        /// <summary>The address and port to listen on (port 0: any free port).</summary>
        public IPEndPoint EndPoint { get; }

        /// <summary>The access token every request must carry, or null (loopback only).</summary>
        public string? Token { get; }

        /// <summary>Seconds between the pages' automatic reloads.</summary>
        public int RefreshSeconds { get; }

        /// <summary>
        /// Reads <c>--http ADDR</c> (<c>HOST:PORT</c>, <c>[IPv6]:PORT</c> or a bare port, which means 127.0.0.1),
        /// <c>--token-file F</c> and <c>--refresh S</c>; every problem is a <see cref="ConfigurationException"/> with one line.
        /// </summary>
        public static FleetServerSettings Parse(string address, string? tokenFile, int refreshSeconds)
        {
            ArgumentNullException.ThrowIfNull(address);
            var endPoint = ParseAddress(address);
            var token = tokenFile is null ? null : ReadToken(tokenFile);
            if (token is null && !IPAddress.IsLoopback(endPoint.Address))
            {
                throw new ConfigurationException($"--http {address}: not a loopback address; serving the fleet page beyond this host needs an access token (--token-file FILE)");
            }

            if (refreshSeconds is < 1 or > 3600)
            {
                throw new ConfigurationException($"--refresh {refreshSeconds.ToString(CultureInfo.InvariantCulture)}: must be 1..3600 seconds");
            }

            return new FleetServerSettings(endPoint, token, refreshSeconds);
        }

        private static IPEndPoint ParseAddress(string address)
        {
            var text = address.Trim();
            if (ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
            {
                return new IPEndPoint(IPAddress.Loopback, bare);
            }

            var colon = text.LastIndexOf(':');
            if (colon <= 0 || !ushort.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                throw new ConfigurationException($"--http {address}: give HOST:PORT (e.g. 127.0.0.1:8080, or 0.0.0.0:8080 with --token-file)");
            }

            var host = text[..colon].Trim('[', ']');
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                return new IPEndPoint(IPAddress.Loopback, port);
            }

            if (!IPAddress.TryParse(host, out var ip))
            {
                throw new ConfigurationException($"--http {address}: {host} is not an IP address (give the address of the interface to listen on, or localhost)");
            }

            return new IPEndPoint(ip, port);
        }

        private static string ReadToken(string path)
        {
            if (!File.Exists(path))
            {
                throw new ConfigurationException($"--token-file {path}: no such file");
            }

            if (!OperatingSystem.IsWindows() &&
                (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new ConfigurationException($"--token-file {path}: readable or writable by others; make it the owner's alone (chmod 600)");
            }

            string token;
            try
            {
                using var reader = new StreamReader(path);
                token = (reader.ReadLine() ?? string.Empty).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"--token-file {path}: {ex.Message}", ex);
            }

            if (token.Length < MinTokenLength)
            {
                throw new ConfigurationException($"--token-file {path}: the token (first line) must have at least {MinTokenLength} characters (e.g. openssl rand -hex 24)");
            }

            foreach (var c in token)
            {
                if (c <= ' ' || c > '~' || c is ';' or ',' or '"' or '\\')
                {
                    throw new ConfigurationException($"--token-file {path}: the token must be printable ASCII without spaces, quotes, commas, semicolons or backslashes");
                }
            }

            return token;
        }
    }
}
