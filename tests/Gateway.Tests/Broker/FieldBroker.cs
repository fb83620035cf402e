using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using Gateway.Tests.Uplink;
using Gateway.Virtual.Mqtt;
using Xunit;

namespace Gateway.Tests.Broker
{
    /// <summary>
    /// The broker shipped in tools/broker, started for a test: a copy of <c>mosquitto.conf</c> in which only the site
    /// lines change (ports on 127.0.0.1, file paths in a temporary folder, the user when run as root), the shipped
    /// <c>acl</c> as it is, accounts added with the shipped <c>broker-account</c> script, and a throwaway certificate
    /// authority with a server certificate (127.0.0.1, localhost) and a receiver client certificate, made with .NET's
    /// <see cref="CertificateRequest"/>.
    /// </summary>
    public sealed class FieldBroker : IDisposable
    {
        /// <summary>The receiver account of the shipped ACL.</summary>
        public const string ReceiverUser = "gateway-cloud";

        private static readonly string[] SiteOptions = { "pid_file", "user", "persistence_location", "password_file", "acl_file", "listener", "cafile", "certfile", "keyfile", "log_dest" };

        /// <summary>Starts the shipped broker (with <paramref name="start"/> false: only prepares it).</summary>
        public FieldBroker(bool start = true)
        {
            Dir = Directory.CreateTempSubdirectory("gateway-fieldbroker-").FullName;
            GatewayPort = MosquittoBroker.FreeLoopbackPort();
            ReceiverPort = MosquittoBroker.FreeLoopbackPort();
            WriteCertificates();
            File.Copy(Path.Combine(ShippedDir, "acl"), AclFile);
            ConfigFile = Path.Combine(Dir, "mosquitto.conf");
            File.WriteAllText(ConfigFile, TestCopy(File.ReadAllText(Path.Combine(ShippedDir, "mosquitto.conf"))));
            ReceiverPassword = Account("add-receiver", ReceiverUser, "rx-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
            Broker = new MosquittoBroker(ConfigFile, GatewayPort, LogPath);
            if (start)
            {
                Broker.Start();
                Assert.True(Accepts(ReceiverPort), "receiver listener");
            }
        }

        /// <summary>tools/broker in this repository.</summary>
        public static string ShippedDir => Path.Combine(RepoPaths.Root, "tools", "broker");

        /// <summary>The temporary folder holding everything of this broker.</summary>
        public string Dir { get; }

        /// <summary>Port of the gateways' listener (the shipped 8883).</summary>
        public int GatewayPort { get; }

        /// <summary>Port of the receivers' listener (the shipped 8884).</summary>
        public int ReceiverPort { get; }

        /// <summary>The running test copy of the configuration.</summary>
        public string ConfigFile { get; }

        /// <summary>The broker process.</summary>
        public MosquittoBroker Broker { get; }

        /// <summary>The broker's password file.</summary>
        public string PasswordFile => Path.Combine(Dir, "passwd");

        /// <summary>The broker's ACL file (a copy of the shipped one).</summary>
        public string AclFile => Path.Combine(Dir, "acl");

        /// <summary>The broker's log.</summary>
        public string LogPath => Path.Combine(Dir, "mosquitto.log");

        /// <summary>The test certificate authority (PEM).</summary>
        public string CaFile => Path.Combine(Dir, "ca.crt");

        /// <summary>A second authority the broker does not know (PEM).</summary>
        public string RogueCaFile => Path.Combine(Dir, "rogue-ca.crt");

        /// <summary>The receiver's client certificate and key (PEM), issued by <see cref="CaFile"/>.</summary>
        public string ReceiverCertFile => Path.Combine(Dir, "receiver.crt");

        /// <inheritdoc cref="ReceiverCertFile"/>
        public string ReceiverKeyFile => Path.Combine(Dir, "receiver.key");

        /// <summary>The password of <see cref="ReceiverUser"/>.</summary>
        public string ReceiverPassword { get; }

        /// <summary>
        /// Runs tools/broker/broker-account on this broker's files (the password given on stdin); returns its stdout.
        /// Throws with its stderr when it fails.
        /// </summary>
        public string Account(string command, string name, string? password = null)
        {
            var (rc, stdout, stderr) = RunAccount(command, name, password);
            Assert.True(rc == 0, $"broker-account {command} {name}: exit {rc}: {stderr}");
            return password ?? stdout.Trim();
        }

        /// <summary>Runs tools/broker/broker-account; its exit code, stdout and stderr.</summary>
        public (int ExitCode, string Stdout, string Stderr) RunAccount(string command, string name, string? password = null)
        {
            var psi = new ProcessStartInfo("/bin/bash")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(ShippedDir, "broker-account"));
            psi.ArgumentList.Add(command);
            psi.ArgumentList.Add(name);
            if (password != null)
            {
                psi.ArgumentList.Add("--password-stdin");
            }

            psi.Environment["GATEWAY_BROKER_PASSWD"] = PasswordFile;
            psi.Environment["GATEWAY_BROKER_ACL"] = AclFile;
            using var p = Process.Start(psi)!;
            p.StandardInput.Write(password == null ? "" : password + "\n");
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(30_000), "broker-account did not finish");
            return (p.ExitCode, stdout.Result, stderr);
        }

        /// <summary>
        /// Adds many gateway accounts at once (as many <c>add-gateway</c> calls would, without a process each):
        /// username = device id, the passwords hashed by <c>mosquitto_passwd -U</c>. Returns the passwords.
        /// </summary>
        public Dictionary<uint, string> AddGatewaysInBulk(IEnumerable<uint> deviceIds)
        {
            var passwords = deviceIds.ToDictionary(id => id, id => "pw-" + id + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)));
            var plain = Path.Combine(Dir, "bulk-passwd");
            File.WriteAllLines(plain, passwords.Select(kv => $"{kv.Key}:{kv.Value}"));
            using (var p = Process.Start(new ProcessStartInfo("mosquitto_passwd", $"-U \"{plain}\"") { UseShellExecute = false, RedirectStandardError = true })!)
            {
                Assert.True(p.WaitForExit(60_000) && p.ExitCode == 0, "mosquitto_passwd -U: " + p.StandardError.ReadToEnd());
            }

            File.AppendAllText(PasswordFile, File.ReadAllText(plain));
            File.Delete(plain);
            return passwords;
        }

        /// <summary>A gateway client as the firmware connects: client id gw-ID, username = device id, TLS on the gateways' listener, persistent session.</summary>
        public MosquittoClient Gateway(uint deviceId, string password, string? clientId = null, bool start = true)
        {
            var c = new MosquittoClient(clientId ?? "gw-" + deviceId, cleanSession: false);
            c.SetCredentials(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture), password);
            c.SetTls(CaFile);
            c.SetReconnectDelay(1, 2, exponential: false);
            if (start)
            {
                c.Start(Broker.Host, GatewayPort);
            }

            return c;
        }

        /// <summary>A receiver client: its account, its client certificate, the receivers' listener, a persistent session.</summary>
        public MosquittoClient Receiver(string clientId, bool start = true, bool certificate = true)
        {
            var c = new MosquittoClient(clientId, cleanSession: false);
            c.SetCredentials(ReceiverUser, ReceiverPassword);
            if (certificate)
            {
                c.SetTls(CaFile, ReceiverCertFile, ReceiverKeyFile);
            }
            else
            {
                c.SetTls(CaFile);
            }

            c.SetReconnectDelay(1, 2, exponential: false);
            if (start)
            {
                c.Start(Broker.Host, ReceiverPort);
            }

            return c;
        }

        /// <summary>Stops the broker (saving its state) and removes the folder.</summary>
        public void Dispose()
        {
            Broker.Dispose();
            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        /// <summary>The broker's log so far (for assertion messages).</summary>
        public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

        /// <summary>The shipped configuration with the site lines pointed at this test's folder and ports.</summary>
        private string TestCopy(string shipped)
        {
            var sb = new StringBuilder();
            var listeners = 0;
            var replaced = new HashSet<string>();
            foreach (var line in shipped.Split('\n'))
            {
                var option = line.Split(' ', 2)[0];
                if (!SiteOptions.Contains(option))
                {
                    sb.Append(line).Append('\n');
                    continue;
                }

                replaced.Add(option);
                sb.Append(option switch
                {
                    "pid_file" => $"pid_file {Dir}/mosquitto.pid",
                    "user" => Environment.UserName == "root" ? "user root" : line, // as root mosquitto would switch to "mosquitto", which cannot read this folder
                    "persistence_location" => $"persistence_location {Dir}/",
                    "password_file" => $"password_file {PasswordFile}",
                    "acl_file" => $"acl_file {AclFile}",
                    "listener" => $"listener {(listeners++ == 0 ? GatewayPort : ReceiverPort)} 127.0.0.1",
                    "cafile" => $"cafile {CaFile}",
                    "certfile" => $"certfile {Path.Combine(Dir, "server.crt")}",
                    "keyfile" => $"keyfile {Path.Combine(Dir, "server.key")}",
                    "log_dest" => $"log_dest file {LogPath}",
                    _ => throw new InvalidOperationException(option),
                }).Append('\n');
            }

            Assert.Equal(2, listeners);
            Assert.Equal(SiteOptions.Length, replaced.Count);
            return sb.ToString();
        }

        /// <summary>The throwaway certificates, made once per test run (RSA key generation is the slow part): file name → PEM.</summary>
        private static readonly Lazy<Dictionary<string, string>> Certificates = new(MakeCertificates);

        private void WriteCertificates()
        {
            foreach (var (name, pem) in Certificates.Value)
            {
                var path = Path.Combine(Dir, name);
                File.WriteAllText(path, pem);
                if (name.EndsWith(".key", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
        }

        private static Dictionary<string, string> MakeCertificates()
        {
            var files = new Dictionary<string, string>();
            var now = DateTimeOffset.UtcNow;
            using var caKey = RSA.Create(2048);
            using var ca = Authority("CN=Gateway test CA", caKey, now);
            files["ca.crt"] = ca.ExportCertificatePem();
            using (var rogueKey = RSA.Create(2048))
            using (var rogue = Authority("CN=Someone else's CA", rogueKey, now))
            {
                files["rogue-ca.crt"] = rogue.ExportCertificatePem();
            }

            Issue(ca, "CN=localhost", serverAuth: true, files, "server", now);
            Issue(ca, "CN=gateway-cloud", serverAuth: false, files, "receiver", now);
            return files;
        }

        private static X509Certificate2 Authority(string subject, RSA key, DateTimeOffset now)
        {
            var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            return req.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
        }

        private static void Issue(X509Certificate2 ca, string subject, bool serverAuth, Dictionary<string, string> files, string name, DateTimeOffset now)
        {
            using var key = RSA.Create(2048);
            var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") }, false));
            req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            if (serverAuth)
            {
                var san = new SubjectAlternativeNameBuilder();
                san.AddIpAddress(IPAddress.Loopback);
                san.AddDnsName("localhost");
                req.CertificateExtensions.Add(san.Build());
            }

            using var cert = req.Create(ca, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(12));
            files[name + ".crt"] = cert.ExportCertificatePem();
            files[name + ".key"] = key.ExportPkcs8PrivateKeyPem();
        }

        private static bool Accepts(int port)
        {
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 5000)
            {
                try
                {
                    using var c = new System.Net.Sockets.TcpClient();
                    c.Connect(IPAddress.Loopback, port);
                    return true;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    Thread.Sleep(20);
                }
            }

            return false;
        }
    }
}
