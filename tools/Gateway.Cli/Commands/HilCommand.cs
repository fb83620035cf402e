using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Gateway.Cloud.Commissioning;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Simulation.Hil;
using Gateway.Simulation.VirtualGateway;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway hil: hardware in the loop. Drives a gateway's test mode through its console (injected sensor values,
    /// accelerated cycles), then checks the cloud receiver's database: every reading stored once with the test flag
    /// and the injected value, alarms raised and cleared at the right levels, garbage flagged, no forgery accepted, the
    /// commissioning record verified. <c>--sim</c>: a virtual gateway in process (provisioned and configured first);
    /// <c>--port</c>: a real, provisioned gateway, with <c>--db</c> the receiver's database (and <c>--broker</c> to run
    /// that receiver here for the duration).
    /// </summary>
    public sealed class HilCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create()
        {
            var sim = new Option<bool>("--sim") { Description = "a virtual gateway in this process" };
            var port = new Option<string?>("--port") { Description = "serial device of a real gateway (provisioned, configured), e.g. /dev/ttyUSB0" };
            var baud = new Option<int>("--baud") { Description = "serial speed", DefaultValueFactory = _ => 115200 };
            var scenario = new Option<string>("--scenario") { Description = "built-in scenario (flood) or a scenario JSON file (tools/Gateway.Simulation/Hil/README.md)", DefaultValueFactory = _ => "flood" };
            var db = new Option<string?>("--db") { Description = "the receiver's database (--port: required; --sim: default a new SQLite file)" };
            var keys = new Option<string?>("--keys") { Description = "the receiver's key file (--port: to verify the printed commissioning record and for --broker)" };
            var broker = new Option<string?>("--broker") { Description = "with --port: HOST:PORT of the MQTT broker; a receiver runs here for the duration, writing to --db" };
            var deviceId = new Option<uint>("--device-id") { Description = "with --sim: the device id to provision", DefaultValueFactory = _ => 4712 };
            var timeout = new Option<int>("--timeout-ms") { Description = "longest wait for a command's OK/ERR", DefaultValueFactory = _ => 60000 };
            var json = CommonOptions.Json();
            var cmd = new Command("hil", "hardware in the loop: drive a gateway's test mode, check what reached the cloud database");
            foreach (var o in new Option[] { sim, port, baud, scenario, db, keys, broker, deviceId, timeout, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                HilScenario s;
                try
                {
                    s = HilScenario.Get(pr.GetValue(scenario)!);
                }
                catch (Exception ex) when (ex is ArgumentException or IOException or System.Text.Json.JsonException)
                {
                    Console.Error.WriteLine("gateway hil: " + ex.Message);
                    return 2;
                }

                var portName = pr.GetValue(port);
                if (pr.GetValue(sim) == (portName is not null))
                {
                    Console.Error.WriteLine("gateway hil: give exactly one of --sim or --port DEVICE");
                    return 2;
                }

                var output = pr.GetValue(json) ? TextWriter.Null : Console.Out;
                HilResult result;
                if (portName is null)
                {
                    result = RunSim(s, pr.GetValue(deviceId), pr.GetValue(db), output, out _);
                }
                else
                {
                    var dbSpec = pr.GetValue(db);
                    if (dbSpec is null)
                    {
                        Console.Error.WriteLine("gateway hil: --port needs --db (the receiver's database)");
                        return 2;
                    }

                    try
                    {
                        result = RunSerial(s, portName, pr.GetValue(baud), dbSpec, pr.GetValue(keys), pr.GetValue(broker), pr.GetValue(timeout), output);
                    }
                    catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException or FormatException)
                    {
                        Console.Error.WriteLine("gateway hil: " + ex.Message);
                        return 1;
                    }
                }

                foreach (var f in result.Failures)
                {
                    output.WriteLine("  FAIL " + f);
                }

                if (pr.GetValue(json))
                {
                    var report = new FigureReport();
                    foreach (var (k, v) in result.Figures)
                    {
                        report.Add(k, v);
                    }

                    report.Add("failures", result.Failures.Count).Add("passed", result.Passed).Write(Console.Out, true);
                }
                else
                {
                    Console.WriteLine(result.Summary(s.Name));
                }

                return result.Passed ? 0 : 1;
            });
            return cmd;
        }

        /// <summary>The virtual run: a fresh cloud and gateway, provisioned and configured over the console, then the scenario.</summary>
        public static HilResult RunSim(HilScenario scenario, uint deviceId, string? dbSpec, TextWriter output, out string workDirectory)
        {
            workDirectory = Directory.CreateTempSubdirectory("gateway-hil-").FullName;
            using var cloud = new VirtualCloud(dbSpec ?? Path.Combine(workDirectory, "receiver.db"), Path.Combine(workDirectory, "keys.json"));
            var device = new VirtualGatewayDevice(cloud, seed: (int)(deviceId % 1000) + 1);
            using var link = new InProcessConsoleLink(device);
            ProvisionVirtual(link, cloud, deviceId, workDirectory, output);
            var access = new HilCloudAccess
            {
                Readings = cloud.Store,
                Commissioning = cloud.Commissioning,
                LatestUplink = () => device.RecentUplinks.LastOrDefault(),
                DeliverBatch = b => cloud.Receiver().Ingest("mqtt-lte", b, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
                DeliverRecord = r => cloud.DeliverCommissioning(r, "mqtt-lte"),
            };
            return HilDriver.Run(link, scenario, access, output);
        }

        /// <summary>Provisions a virtual gateway as a technician would: keys from ./gateway provision, the script over the console, the site configuration.</summary>
        public static void ProvisionVirtual(IConsoleLink link, VirtualCloud cloud, uint deviceId, string workDirectory, TextWriter output)
        {
            var provisioned = DeviceProvisioner.Run(new ProvisionRequest(deviceId, cloud.KeyFile, workDirectory, false, "70B3D57ED0000001"));
            foreach (var line in File.ReadAllLines(provisioned.ScriptPath).Where(l => l.Length > 0 && !l.StartsWith('#')).Append("config set " + ConsoleWalkthrough.SiteConfig))
            {
                var answer = link.Exchange(line, 30000);
                if (!ConsoleAnswers.IsOk(answer))
                {
                    throw new InvalidDataException($"provisioning '{ConsoleWalkthrough.Mask(line)}' failed: {answer[^1]}");
                }
            }

            output.WriteLine($"provisioned virtual gateway {deviceId} (key id {provisioned.KeyId}) and configured it (river levels 1800/2400/3000/3500 mm)");
        }

        private static HilResult RunSerial(HilScenario scenario, string port, int baud, string dbSpec, string? keyFile, string? broker, int timeoutMs, TextWriter output)
        {
            using var store = ReceiverStoreFactory.Open(dbSpec);
            using var commissioning = new CommissioningStore(dbSpec);
            var ring = keyFile is null ? null : KeyRing.Load(keyFile);
            var verifier = ring is null ? null : new CommissioningVerifier(ring, commissioning, store);

            // The receiver on the broker writes through its own connections (its own thread).
            IReceiverStore? serviceStore = null;
            CommissioningStore? serviceCommissioning = null;
            MqttReceiverService? service = null;
            if (broker is not null)
            {
                var parts = broker.Split(':');
                if (ring is null || parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var brokerPort))
                {
                    throw new FormatException("--broker HOST:PORT needs --keys FILE");
                }

                serviceStore = ReceiverStoreFactory.Open(dbSpec);
                serviceCommissioning = new CommissioningStore(dbSpec);
                service = new MqttReceiverService(new CloudReceiver(serviceStore, ring), new MqttReceiverSettings(parts[0], brokerPort, null, null, null, "gateway-hil-" + Environment.ProcessId))
                {
                    Commissioning = new CommissioningVerifier(ring, serviceCommissioning, serviceStore),
                };
                if (!service.Start(TimeSpan.FromSeconds(10)))
                {
                    service.Dispose();
                    throw new IOException($"broker {broker} not reachable");
                }
            }

            try
            {
                using var link = new SerialConsoleLink(port, baud);
                var access = new HilCloudAccess
                {
                    Readings = store,
                    Commissioning = commissioning,
                    DeliverRecord = verifier is null ? null : r => verifier.Ingest("console", r, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
                    Settle = () =>
                    {
                        // Let what the gateway sent last reach the database before the checks read it.
                        var deadline = Environment.TickCount64 + 15000;
                        while (service is not null && service.Backlog > 0 && Environment.TickCount64 < deadline)
                        {
                            System.Threading.Thread.Sleep(100);
                        }

                        System.Threading.Thread.Sleep(2000);
                    },
                };
                return HilDriver.Run(link, scenario, access, output, timeoutMs);
            }
            finally
            {
                service?.Dispose();
                serviceCommissioning?.Dispose();
                serviceStore?.Dispose();
            }
        }
    }
}
