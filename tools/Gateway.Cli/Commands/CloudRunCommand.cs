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
            var password = new Option<string?>("--password") { Description = "refused: a password on the command line is visible to every user (ps); use GATEWAY_MQTT_PASSWORD or --password-file" };
            var passwordFile = new Option<string?>("--password-file") { Description = "file holding the broker password (first line; readable by its owner only)" };
            var anonymous = new Option<bool>("--anonymous") { Description = "connect without credentials (refused otherwise)" };
            var share = new Option<string?>("--share-group", "--share") { Description = "shared-subscription group ($share/NAME/...): several receivers split the load; give each its own --client-id" };
            var tls = new Option<bool>("--tls") { Description = "TLS to the broker, its certificate checked against the system's CAs (implied by --tls-ca/--tls-cert)" };
            var tlsCa = new Option<string?>("--tls-ca") { Description = "PEM file of the CA the broker's certificate must chain to" };
            var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM client certificate (with --tls-key)" };
            var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
            var inFlight = new Option<int>("--in-flight") { Description = "messages with the receiver not yet acknowledged to the broker (MQTT 5 Receive Maximum)", DefaultValueFactory = _ => MqttReceiverSettings.DefaultInFlight };
            var sessionExpiry = new Option<long>("--session-expiry") { Description = "seconds the broker keeps this receiver's session (and its undelivered messages) after a disconnect; 0: never expires", DefaultValueFactory = _ => 0 };
            var clientId = new Option<string?>("--client-id") { Description = "MQTT client id; the broker keeps the receiver's session under it, so keep it stable across restarts (default gateway-cloud-HOSTNAME)" };
            var clean = new Option<bool>("--clean-session") { Description = "let the broker forget the session at disconnect (simulation runs; production keeps it)" };
            var clockTopic = new Option<string?>("--clock-topic") { Description = "simulation only: stamp messages with the simulated time published on this topic instead of the host clock" };
            var stdinStop = new Option<bool>("--stop-on-stdin-close") { Description = "stop cleanly when stdin closes (a parent process going away)" };
            var seconds = new Option<int>("--for") { Description = "stop after this many seconds (0: until interrupted)", DefaultValueFactory = _ => 0 };
            var json = CommonOptions.Json();
            var fleet = new FleetHttpOptions();
            var log = new LogOptions();
            var cmd = new Command("run", "receive, verify, store and acknowledge gateway batches from an MQTT broker (cellular, Wi-Fi, LoRaWAN network servers)");
            foreach (var o in new Option[] { broker, db, keys, user, password, passwordFile, anonymous, share, tls, tlsCa, tlsCert, tlsKey, inFlight, sessionExpiry, clientId, clean, clockTopic, stdinStop, seconds, json, log.Key, log.Folder, log.Every, log.Witness })
            {
                cmd.Options.Add(o);
            }

            foreach (var o in fleet.All)
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

                if (!ConnectionSettings.TryRead(pr, new ConnectionOptions(user, password, passwordFile, anonymous, tls, tlsCa, tlsCert, tlsKey), out var credentials, out var problem))
                {
                    Console.Error.WriteLine("gateway cloud run: " + problem);
                    return 2;
                }

                var window = pr.GetValue(inFlight);
                var expiry = pr.GetValue(sessionExpiry);
                if (window is < 1 or > 65535 || expiry is < 0 or > uint.MaxValue)
                {
                    Console.Error.WriteLine("gateway cloud run: --in-flight must be 1..65535 and --session-expiry 0..4294967295 seconds");
                    return 2;
                }

                Gateway.Cloud.Fleet.FleetServerSettings? page;
                try
                {
                    page = fleet.Read(pr);
                }
                catch (Gateway.Cloud.ConfigurationException ex)
                {
                    Console.Error.WriteLine("gateway cloud run: " + ex.Message);
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
                var keyPath = pr.GetValue(keys)!;
                CloudReceiver? reloadTarget = null;
                void ReloadKeys(PosixSignalContext c)
                {
                    // kill -HUP: reread the key file; a file that fails a check leaves the keys in force as they were.
                    c.Cancel = true;
                    try
                    {
                        var fresh = KeyRing.Load(keyPath);
                        reloadTarget?.RequestKeys(fresh);
                        Console.Error.WriteLine($"gateway cloud run: key file reloaded: {fresh.Keys.Count} keys");
                    }
                    catch (Exception ex) when (ex is Gateway.Cloud.ConfigurationException or System.IO.IOException or System.IO.InvalidDataException or JsonException or UnauthorizedAccessException)
                    {
                        Console.Error.WriteLine("gateway cloud run: key file NOT reloaded, the keys in force stay: " + ex.Message);
                    }
                }

                using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ReloadKeys);
                using var store = ReceiverStoreFactory.Open(pr.GetValue(db)!);
                var receiver = new CloudReceiver(store, ring);
                reloadTarget = receiver;
                var settings = new MqttReceiverSettings(hostPort[..colon], port, credentials.User, credentials.Password, pr.GetValue(share),
                    pr.GetValue(clientId) ?? "gateway-cloud-" + Environment.MachineName, pr.GetValue(clean), pr.GetValue(clockTopic))
                {
                    InFlight = window,
                    SessionExpirySeconds = expiry == 0 ? uint.MaxValue : (uint)expiry,
                    Tls = credentials.Tls,
                };
                using var commissioning = new Gateway.Cloud.Commissioning.CommissioningStore(pr.GetValue(db)!);
                using var service = new MqttReceiverService(receiver, settings, line => Console.Error.WriteLine(line))
                {
                    Commissioning = new Gateway.Cloud.Commissioning.CommissioningVerifier(ring, commissioning, store),
                };
                var output = Console.Out;
                void Event(object o)
                {
                    lock (output)
                    {
                        output.WriteLine(JsonSerializer.Serialize(o, EventJson));
                        output.Flush();
                    }
                }

                service.FenceReached = id => Event(new { @event = "fence", id });
                using var checkpointer = log.Start(pr, store, service);
                bool started;
                try
                {
                    started = service.Start(TimeSpan.FromSeconds(15));
                }
                catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or System.IO.IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine("gateway cloud run: TLS: " + ex.Message);
                    return 2;
                }

                if (!started)
                {
                    var why = service.LastConnectError ?? "no answer in time";
                    Console.Error.WriteLine($"gateway cloud run: could not connect and subscribe at {hostPort}: {why}");
                    return why.StartsWith("the broker refused", StringComparison.Ordinal) ? 2 : 1;
                }

                // The fleet page reads the same database on its own connections, on the receiver's clock.
                using var pageServer = page is null ? null : new Gateway.Cloud.Fleet.FleetServer(page, pr.GetValue(db)!, () => service.NowMs);
                try
                {
                    pageServer?.Start();
                }
                catch (Gateway.Cloud.ConfigurationException ex)
                {
                    Console.Error.WriteLine("gateway cloud run: " + ex.Message);
                    service.Stop(TimeSpan.FromSeconds(30));
                    return 2;
                }

                Console.Error.WriteLine($"gateway cloud run: receiving from {hostPort} into {store.Engine}; {ring.Keys.Count} device key(s)" +
                    (pageServer is null ? string.Empty : $"; fleet page at {pageServer.Url}"));
                Event(new
                {
                    @event = "ready", broker = hostPort, engine = store.Engine, device_keys = ring.Keys.Count, client_id = settings.ClientId,
                    share_group = settings.ShareGroup, in_flight = settings.InFlight, tls = settings.Tls != null, probe_topic = service.ProbeTopic,
                    subscribed = MqttReceiverService.TopicFilters, chain_states_loaded = receiver.ChainStatesLoaded,
                    http = pageServer?.Url?.ToString(),
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
                        Event(new { @event = "status", messages, stored = service.Stored, rejected = service.Rejected, backlog = service.Backlog, idle,
                            acknowledged = service.Acknowledged, unacknowledged = service.Unacknowledged });
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
