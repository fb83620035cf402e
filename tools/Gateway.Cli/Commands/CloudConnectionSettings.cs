using System;
using System.CommandLine;
using System.IO;
using Gateway.Cloud.Receiver;

namespace Gateway.Cli.Commands
{
    /// <summary>The options of <c>cloud run</c> that say how to reach the broker: credentials and TLS.</summary>
    internal sealed record ConnectionOptions(Option<string?> User, Option<string?> Password, Option<string?> PasswordFile, Option<bool> Anonymous,
        Option<bool> Tls, Option<string?> TlsCa, Option<string?> TlsCert, Option<string?> TlsKey);

    /// <summary>The broker credentials and TLS settings a receiver connects with.</summary>
    internal sealed record ConnectionSettings(string? User, string? Password, MqttTlsSettings? Tls)
    {
        /// <summary>
        /// Reads them: the user from <c>--user</c> or GATEWAY_MQTT_USER, the password from GATEWAY_MQTT_PASSWORD or
        /// <c>--password-file</c> — never from the command line, where every user of the machine can read it (ps) —
        /// and no credentials at all only when <c>--anonymous</c> asks for it by name. False with a one-line reason.
        /// </summary>
        public static bool TryRead(ParseResult pr, ConnectionOptions o, out ConnectionSettings settings, out string problem)
        {
            settings = new ConnectionSettings(null, null, null);
            problem = string.Empty;
            if (pr.GetResult(o.Password) is { Implicit: false })
            {
                problem = "--password is refused: a password on the command line is visible to every user of this machine (ps); " +
                          "put it in GATEWAY_MQTT_PASSWORD or in a file readable only by you and give --password-file FILE";
                return false;
            }

            var user = pr.GetValue(o.User) ?? Environment.GetEnvironmentVariable("GATEWAY_MQTT_USER");
            var password = Environment.GetEnvironmentVariable("GATEWAY_MQTT_PASSWORD");
            var file = pr.GetValue(o.PasswordFile);
            if (file != null)
            {
                if (!File.Exists(file))
                {
                    problem = $"--password-file {file}: no such file";
                    return false;
                }

                if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
                {
                    problem = $"--password-file {file}: readable by others than its owner (chmod 600 {file})";
                    return false;
                }

                try
                {
                    using var reader = new StreamReader(file);
                    password = reader.ReadLine() ?? string.Empty;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problem = $"--password-file {file}: {ex.Message}";
                    return false;
                }

                if (password.Length == 0)
                {
                    problem = $"--password-file {file}: the first line is empty";
                    return false;
                }
            }

            var anonymous = pr.GetValue(o.Anonymous);
            if (string.IsNullOrEmpty(user))
            {
                if (!anonymous)
                {
                    problem = "no broker credentials: set GATEWAY_MQTT_USER (or --user) and GATEWAY_MQTT_PASSWORD (or --password-file FILE); " +
                              "an anonymous connection is refused unless --anonymous is given";
                    return false;
                }

                user = null;
                password = null;
            }
            else if (anonymous)
            {
                problem = "--anonymous with a broker user: give one or the other";
                return false;
            }
            else if (password is null)
            {
                problem = $"no password for broker user {user}: set GATEWAY_MQTT_PASSWORD or give --password-file FILE";
                return false;
            }

            MqttTlsSettings? tls = null;
            var ca = pr.GetValue(o.TlsCa);
            var cert = pr.GetValue(o.TlsCert);
            var key = pr.GetValue(o.TlsKey);
            if ((cert is null) != (key is null))
            {
                problem = "--tls-cert and --tls-key go together (a client certificate and its private key)";
                return false;
            }

            foreach (var (name, path) in new[] { ("--tls-ca", ca), ("--tls-cert", cert), ("--tls-key", key) })
            {
                if (path != null && !File.Exists(path))
                {
                    problem = $"{name} {path}: no such file";
                    return false;
                }
            }

            if (pr.GetValue(o.Tls) || ca != null || cert != null)
            {
                tls = new MqttTlsSettings(ca, cert, key);
                try
                {
                    // Read now, so a bad file is one clear line at start rather than a failed connection later.
                    if (ca != null)
                    {
                        MqttReceiverService.LoadCa(ca).Clear();
                    }

                    if (cert != null)
                    {
                        MqttReceiverService.LoadClientCertificate(cert, key!).Dispose();
                    }
                }
                catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
                {
                    problem = "TLS: " + ex.Message.Trim().Replace(Environment.NewLine, " ", StringComparison.Ordinal);
                    return false;
                }
            }

            settings = new ConnectionSettings(user, password, tls);
            return true;
        }
    }
}
