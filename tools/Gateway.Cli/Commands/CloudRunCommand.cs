using System;
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway cloud run: the receiver the regional operator runs, on a real MQTT broker. Machine-readable event
    /// lines go to stdout, one JSON object each: <c>{"event":"ready",...}</c> once the subscriptions are in place,
    /// <c>{"event":"status",...}</c> whenever the counts or the idle state change, then the final figures. SIGTERM
    /// or SIGINT (and, with --stop-on-stdin-close, the end of stdin) stop it cleanly: what has arrived is handled and
    /// acknowledged, the connection closed, the database closed.
    /// </summary>
    public sealed class CloudRunCommand : ICliCommand
    {
        private static readonly JsonSerializerOptions EventJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <inheritdoc />
        public string? Parent => "cloud";

        /// <inheritdoc />
        public Command Create()
        {
            var broker = new Option<string>("--broker") { Description = "HOST:PORT of the MQTT broker", DefaultValueFactory = _ => "127.0.0.1:1883" };
            var db = CloudOptions.Db();
            var keys = new Option<string>("--keys") { Description = "device key file written by ./gateway provision", Required = true };
            var user = new Option<string?>("--user") { Description = "broker user (or GATEWAY_MQTT_USER)" };
            var password = new Option<string?>("--password") { Description = "broker password (or GATEWAY_MQTT_PASSWORD)" };
            var share = new Option<string?>("--share") { Description = "shared-subscription group: several receivers split the load" };
            var clientId = new Option<string?>("--client-id") { Description = "MQTT client id; the broker keeps the receiver's session under it, so keep it stable across restarts (default gateway-cloud-HOSTNAME)" };
            var clean = new Option<bool>("--clean-session") { Description = "let the broker forget the session at disconnect (simulation runs; production keeps it)" };
            var clockTopic = new Option<string?>("--clock-topic") { Description = "simulation only: stamp messages with the simulated time published on this topic instead of the host clock" };
            var stdinStop = new Option<bool>("--stop-on-stdin-close") { Description = "stop cleanly when stdin closes (a parent process going away)" };
            var seconds = new Option<int>("--for") { Description = "stop after this many seconds (0: until interrupted)", DefaultValueFactory = _ => 0 };
            var json = CommonOptions.Json();
            var cmd = new Command("run", "receive, verify, store and acknowledge gateway batches from an MQTT broker (cellular, Wi-Fi, LoRaWAN network servers)");
            foreach (var o in new Option[] { broker, db, keys, user, password, share, clientId, clean, clockTopic, stdinStop, seconds, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var hostPort = pr.GetValue(broker)!;
                var colon = hostPort.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], out var port))
                {
                    Console.Error.WriteLine("gateway cloud run: --broker must be HOST:PORT");
                    return 2;
                }

                KeyRing ring;
                try
                {
                    ring = KeyRing.Load(pr.GetValue(keys)!);
                }
                catch (Exception ex) when (ex is System.IO.IOException or System.IO.InvalidDataException or JsonException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine("gateway cloud run: key file: " + ex.Message);
                    return 2;
                }

                using var stop = new ManualResetEventSlim();
                void RequestStop(PosixSignalContext c)
                {
                    c.Cancel = true; // this process stops itself, cleanly
                    stop.Set();
                }

                using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
                using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
                using var store = ReceiverStoreFactory.Open(pr.GetValue(db)!);
                var receiver = new CloudReceiver(store, ring);
                var settings = new MqttReceiverSettings(hostPort[..colon], port,
                    pr.GetValue(user) ?? Environment.GetEnvironmentVariable("GATEWAY_MQTT_USER"),
                    pr.GetValue(password) ?? Environment.GetEnvironmentVariable("GATEWAY_MQTT_PASSWORD"), pr.GetValue(share),
                    pr.GetValue(clientId) ?? "gateway-cloud-" + Environment.MachineName, pr.GetValue(clean), pr.GetValue(clockTopic));
                using var commissioning = new Gateway.Cloud.Commissioning.CommissioningStore(pr.GetValue(db)!);
                using var service = new MqttReceiverService(receiver, settings, line => Console.Error.WriteLine(line))
                {
                    Commissioning = new Gateway.Cloud.Commissioning.CommissioningVerifier(ring, commissioning, store),
                };
                if (!service.Start(TimeSpan.FromSeconds(15)))
                {
                    Console.Error.WriteLine($"gateway cloud run: could not connect and subscribe at {hostPort}");
                    return 1;
                }

                var output = Console.Out;
                void Event(object o)
                {
                    lock (output)
                    {
                        output.WriteLine(JsonSerializer.Serialize(o, EventJson));
                        output.Flush();
                    }
                }

                Console.Error.WriteLine($"gateway cloud run: receiving from {hostPort} into {store.Engine}; {ring.Keys.Count} device key(s)");
                Event(new
                {
                    @event = "ready", broker = hostPort, engine = store.Engine, device_keys = ring.Keys.Count, client_id = settings.ClientId,
                    subscribed = MqttReceiverService.TopicFilters, chain_states_loaded = receiver.ChainStatesLoaded,
                });
                if (pr.GetValue(stdinStop))
                {
                    new Thread(() =>
                    {
                        try
                        {
                            while (Console.In.ReadLine() != null)
                            {
                            }
                        }
                        catch (System.IO.IOException)
                        {
                        }

                        stop.Set();
                    }) { IsBackground = true, Name = "stdin-watch" }.Start();
                }

                var limit = pr.GetValue(seconds);
                var deadline = limit > 0 ? DateTime.UtcNow.AddSeconds(limit) : DateTime.MaxValue;
                (long, bool) last = (-1, false);
                while (!stop.Wait(100) && DateTime.UtcNow < deadline)
                {
                    // Messages first, then idle: a line that says idle with N messages means all N are handled.
                    var messages = service.Messages;
                    var idle = service.Idle && service.Messages == messages;
                    if ((messages, idle) != last)
                    {
                        last = (messages, idle);
                        Event(new { @event = "status", messages, stored = service.Stored, rejected = service.Rejected, backlog = service.Backlog, idle });
                    }
                }

                service.Stop(TimeSpan.FromSeconds(30));
                Event(new { @event = "stopped", messages = service.Messages, stored = service.Stored, rejected = service.Rejected, dropped = service.Dropped });
                new FigureReport()
                    .Add("messages", service.Messages)
                    .Add("readings_stored", service.Stored)
                    .Add("rejected", service.Rejected)
                    .Add("readings_in_database", store.CountReadings())
                    .Write(Console.Out, pr.GetValue(json));
                return 0;
            });
            return cmd;
        }
    }
}
