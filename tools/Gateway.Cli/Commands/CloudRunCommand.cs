using System;
using System.CommandLine;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway cloud run: the receiver the regional operator runs, on a real MQTT broker.</summary>
    public sealed class CloudRunCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "cloud";

        /// <inheritdoc />
        public Command Create()
        {
            var broker = new Option<string>("--broker") { Description = "HOST:PORT of the MQTT broker", DefaultValueFactory = _ => "127.0.0.1:1883" };
            var db = CloudOptions.Db();
            var keys = new Option<string>("--keys") { Description = "device key file written by ./gateway provision", Required = true };
            var user = new Option<string?>("--user") { Description = "broker user" };
            var password = new Option<string?>("--password") { Description = "broker password (or GATEWAY_MQTT_PASSWORD)" };
            var share = new Option<string?>("--share") { Description = "shared-subscription group: several receivers split the load" };
            var seconds = new Option<int>("--for") { Description = "stop after this many seconds (0: until interrupted)", DefaultValueFactory = _ => 0 };
            var json = CommonOptions.Json();
            var cmd = new Command("run", "receive, verify, store and acknowledge gateway batches from an MQTT broker (cellular, Wi-Fi, LoRaWAN network servers)");
            foreach (var o in new Option[] { broker, db, keys, user, password, share, seconds, json })
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
                catch (Exception ex) when (ex is System.IO.IOException or System.IO.InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine("gateway cloud run: key file: " + ex.Message);
                    return 2;
                }

                using var store = ReceiverStoreFactory.Open(pr.GetValue(db)!);
                var receiver = new CloudReceiver(store, ring);
                var settings = new MqttReceiverSettings(hostPort[..colon], port, pr.GetValue(user),
                    pr.GetValue(password) ?? Environment.GetEnvironmentVariable("GATEWAY_MQTT_PASSWORD"), pr.GetValue(share), "gateway-cloud-" + Environment.ProcessId);
                using var commissioning = new Gateway.Cloud.Commissioning.CommissioningStore(pr.GetValue(db)!);
                using var service = new MqttReceiverService(receiver, settings, line => Console.Error.WriteLine(line))
                {
                    Commissioning = new Gateway.Cloud.Commissioning.CommissioningVerifier(ring, commissioning, store),
                };
                if (!service.Start(TimeSpan.FromSeconds(10)))
                {
                    Console.Error.WriteLine($"gateway cloud run: could not connect to {hostPort}");
                    return 1;
                }

                Console.Error.WriteLine($"gateway cloud run: receiving from {hostPort} into {store.Engine}; {ring.Keys.Count} device key(s)");
                using var stop = new ManualResetEventSlim();
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
                AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Set();
                var limit = pr.GetValue(seconds);
                stop.Wait(limit > 0 ? TimeSpan.FromSeconds(limit) : Timeout.InfiniteTimeSpan);
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
