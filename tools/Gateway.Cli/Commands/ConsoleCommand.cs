using System;
using System.CommandLine;
using System.IO;
using Gateway.Simulation.Hil;
using Gateway.Simulation.VirtualGateway;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway console: talks to a gateway's technician console. <c>--sim</c> gives a virtual gateway (interactive,
    /// or <c>--walkthrough</c> for the checked provision → self-test → commission sequence); <c>--port</c> a real
    /// gateway over a serial device.
    /// </summary>
    public sealed class ConsoleCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create()
        {
            var sim = new Option<bool>("--sim") { Description = "a virtual gateway in this process (starts unprovisioned)" };
            var walkthrough = new Option<bool>("--walkthrough") { Description = "with --sim: run the guided provision → self-test → commission sequence and check it" };
            var port = new Option<string?>("--port") { Description = "serial device of a real gateway, e.g. /dev/ttyUSB0" };
            var baud = new Option<int>("--baud") { Description = "serial speed", DefaultValueFactory = _ => 115200 };
            var db = new Option<string?>("--db") { Description = "with --sim: the cloud receiver's database (default: a new SQLite file in --dir)" };
            var dir = new Option<string?>("--dir") { Description = "with --sim: working directory for the key file, provisioning script and database (default: a new temporary directory)" };
            var deviceId = new Option<uint>("--device-id") { Description = "with --walkthrough: the device id to provision", DefaultValueFactory = _ => 4711 };
            var broker = new Option<string?>("--broker") { Description = "with --sim: HOST:PORT of an MQTT broker between the virtual gateway and its receiver (default: in process)" };
            var mqttUser = new Option<string?>("--mqtt-user") { Description = "with --broker: user name" };
            var mqttPassword = new Option<string?>("--mqtt-password") { Description = "with --broker: password (or GATEWAY_MQTT_PASSWORD)" };
            var timeout = new Option<int>("--timeout-ms") { Description = "with --port: longest wait for a command's OK/ERR", DefaultValueFactory = _ => 30000 };
            var cmd = new Command("console", "technician console of a real (--port) or virtual (--sim) gateway");
            foreach (var o in new Option[] { sim, walkthrough, port, baud, db, dir, deviceId, broker, mqttUser, mqttPassword, timeout })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var portName = pr.GetValue(port);
                if (pr.GetValue(sim) == (portName is not null))
                {
                    Console.Error.WriteLine("gateway console: give exactly one of --sim or --port DEVICE");
                    return 2;
                }

                if (portName is not null)
                {
                    try
                    {
                        using var serial = new SerialConsoleLink(portName, pr.GetValue(baud));
                        return Interactive(serial, Console.In, Console.Out, pr.GetValue(timeout));
                    }
                    catch (IOException ex)
                    {
                        Console.Error.WriteLine("gateway console: " + ex.Message);
                        return 1;
                    }
                }

                var work = pr.GetValue(dir) ?? Directory.CreateTempSubdirectory("gateway-console-").FullName;
                Directory.CreateDirectory(work);
                BrokerEndpoint? endpoint = null;
                if (pr.GetValue(broker) is { } hostPort)
                {
                    var colon = hostPort.LastIndexOf(':');
                    if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var brokerPort))
                    {
                        Console.Error.WriteLine("gateway console: --broker HOST:PORT");
                        return 2;
                    }

                    endpoint = new BrokerEndpoint(hostPort[..colon], brokerPort, pr.GetValue(mqttUser),
                        pr.GetValue(mqttPassword) ?? Environment.GetEnvironmentVariable("GATEWAY_MQTT_PASSWORD"));
                }

                using var cloud = new VirtualCloud(pr.GetValue(db) ?? Path.Combine(work, "receiver.db"), Path.Combine(work, "keys.json"), endpoint);
                var device = new VirtualGatewayDevice(cloud);
                Console.WriteLine($"virtual gateway: unprovisioned; cloud database {cloud.DbSpec}, key file {cloud.KeyFile}"
                    + (endpoint is null ? ", receiver in process" : $", through the broker {endpoint.Host}:{endpoint.Port}"));
                if (pr.GetValue(walkthrough))
                {
                    return ConsoleWalkthrough.Run(device, pr.GetValue(deviceId), work, Console.Out) ? 0 : 1;
                }

                using var link = new InProcessConsoleLink(device);
                return Interactive(link, Console.In, Console.Out, pr.GetValue(timeout));
            });
            return cmd;
        }

        /// <summary>stdin lines → console, answers → stdout, until end of input or "exit". Returns 0, or 1 when the link failed.</summary>
        public static int Interactive(IConsoleLink link, TextReader input, TextWriter output, int timeoutMs)
        {
            output.WriteLine($"connected to {link.Description}; type help, or exit");
            string? line;
            while ((line = input.ReadLine()) is not null)
            {
                var trimmed = line.Trim();
                if (trimmed == "exit" || trimmed == "quit")
                {
                    break;
                }

                if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                {
                    continue;
                }

                try
                {
                    foreach (var answer in link.Exchange(trimmed, timeoutMs))
                    {
                        output.WriteLine(answer);
                    }
                }
                catch (TimeoutException ex)
                {
                    output.WriteLine("(" + ex.Message + ")");
                    return 1;
                }
            }

            return 0;
        }
    }
}
