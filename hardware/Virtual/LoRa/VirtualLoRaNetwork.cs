using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Uplink;
using Gateway.Virtual.Time;


namespace Gateway.Virtual.LoRa
{
    /// <summary>
    /// A virtual LoRaWAN network (gateways plus a ChirpStack-like network server) for module emulators: OTAA joins
    /// of registered devices, uplinks lost at random with a seeded probability or during outage windows, several
    /// gateways hearing each frame, and every delivered uplink handed to a sink as a ChirpStack v4 "up" integration
    /// event (JSON). Downlinks queued per device go out in the receive window after the device's next uplink.
    /// </summary>
    public sealed class VirtualLoRaNetwork
    {
        private readonly VirtualClock _clock;
        private readonly Random _random;
        private readonly Dictionary<string, Device> _devices = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<(long startMs, long endMs)> _outages = new();
        private long _uplinkId;

        /// <summary>Creates a network on <paramref name="clock"/>'s wall time, with all randomness from <paramref name="seed"/>.</summary>
        public VirtualLoRaNetwork(VirtualClock clock, int seed, double lossProbability = 0)
        {
            _clock = clock;
            _random = new Random(seed);
            LossProbability = lossProbability;
        }

        /// <summary>Probability (0..1) that a frame (uplink, join request, or the downlink answering it) is lost.</summary>
        public double LossProbability { get; set; }

        /// <summary>Gateways in range of the devices (0 = out of range); each delivered uplink lists them in rxInfo.</summary>
        public int GatewaysInRange { get; set; } = 2;

        /// <summary>Uplink frequency plan used in txInfo (AS923-1 default channels), Hz.</summary>
        public long[] ChannelsHz { get; set; } = { 923_200_000, 923_400_000 };

        /// <summary>Called with each ChirpStack v4 "up" event as JSON.</summary>
        public Action<string>? Sink { get; set; }

        /// <summary>
        /// Called with each "up" event and the topic ChirpStack's MQTT integration publishes it on
        /// (<c>application/{applicationId}/device/{devEui}/event/up</c>), to hand it to a real broker.
        /// </summary>
        public Action<string, string>? TopicSink { get; set; }

        /// <summary>The application (ChirpStack application id) every device belongs to.</summary>
        public string ApplicationId { get; set; } = "2a3c1e4b-0d11-4a9e-9c39-1f0e6b7b2c10";

        /// <summary>ChirpStack's uplink event topic of a device.</summary>
        public string EventTopic(string devEui) => $"application/{ApplicationId}/device/{devEui.ToLowerInvariant()}/event/up";

        /// <summary>ChirpStack's downlink command topic of a device.</summary>
        public string CommandTopic(string devEui) => $"application/{ApplicationId}/device/{devEui.ToLowerInvariant()}/command/down";

        /// <summary>
        /// Called after an uplink is handed to the integration and before the receive window's downlink is chosen, with
        /// the device's EUI: a hook to wait (briefly) for the application's answer through a real broker, as ChirpStack
        /// waits its get_downlink_data_delay before scheduling RX1.
        /// </summary>
        public Action<string>? AwaitDownlinkData { get; set; }

        /// <summary>Downlink commands taken for one device so far.</summary>
        public int DownlinkCommandsTakenFor(string devEui) => _devices.TryGetValue(devEui, out var d) ? d.CommandsTaken : 0;

        /// <summary>Downlink commands taken from the broker (<see cref="HandleDownlinkCommand"/>).</summary>
        public int DownlinkCommandsTaken { get; private set; }

        /// <summary>Downlink commands refused (wrong application, unknown device, the body's devEui not the topic's, bad JSON).</summary>
        public int DownlinkCommandsRefused { get; private set; }

        /// <summary>
        /// Takes a ChirpStack v4 downlink command as published on <c>application/{applicationId}/device/{devEui}/command/down</c>
        /// (body <c>{"devEui":..,"confirmed":..,"fPort":..,"data":"base64"}</c>) and queues it for the device's next
        /// receive window, replacing what was pending (an integration's flush-then-enqueue: a newer acknowledgement
        /// makes an older one pointless). Returns false, queueing nothing, for a command that does not check out.
        /// </summary>
        public bool HandleDownlinkCommand(string topic, ReadOnlySpan<byte> body)
        {
            var parts = topic.Split('/');
            if (parts.Length != 6 || parts[0] != "application" || parts[1] != ApplicationId || parts[2] != "device" || parts[4] != "command" || parts[5] != "down"
                || !_devices.TryGetValue(parts[3], out var d))
            {
                DownlinkCommandsRefused++;
                return false;
            }

            try
            {
                using var doc = JsonDocument.Parse(body.ToArray());
                var root = doc.RootElement;
                var devEui = root.GetProperty("devEui").GetString();
                int port = root.GetProperty("fPort").GetInt32();
                var data = Convert.FromBase64String(root.GetProperty("data").GetString() ?? "");
                if (!string.Equals(devEui, d.DevEui, StringComparison.OrdinalIgnoreCase) || port is < 1 or > 223 || data.Length == 0)
                {
                    DownlinkCommandsRefused++;
                    return false;
                }

                d.Downlinks.Clear();
                d.Downlinks.Enqueue((port, data));
                d.CommandsTaken++;
                DownlinkCommandsTaken++;
                return true;
            }
            catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                DownlinkCommandsRefused++;
                return false;
            }
        }

        /// <summary>Every "up" event delivered, oldest first.</summary>
        public List<string> UpEvents { get; } = new();

        /// <summary>Frames (joins and uplinks) that reached no gateway.</summary>
        public int FramesLost { get; private set; }

        /// <summary>Makes every gateway unreachable between two wall times (Unix ms), e.g. a backhaul or power outage.</summary>
        public void AddOutage(long startWallMs, long endWallMs) => _outages.Add((startWallMs, endWallMs));

        /// <summary>Registers a device for OTAA (hex EUIs, MSB first) with its AppKey.</summary>
        public void RegisterDevice(string devEui, string joinEui, byte[] appKey, string name = "gateway")
        {
            _devices[devEui] = new Device { DevEui = devEui.ToLowerInvariant(), JoinEui = joinEui, AppKey = (byte[])appKey.Clone(), Name = name };
        }

        /// <summary>
        /// Gives a device its radio link (a placed gateway with the data rate ADR settled on): its uplinks then report
        /// this mean RSSI and SNR, varied per frame by a normal draw of <paramref name="fadingSigmaDb"/>, and "adr": true.
        /// Loss stays <see cref="LossProbability"/> (the link is planned with ADR's installation margin).
        /// </summary>
        public void SetLink(string devEui, double meanRssiDbm, double meanSnrDb, double fadingSigmaDb)
        {
            if (!_devices.TryGetValue(devEui, out var d))
            {
                throw new ArgumentException("unknown device " + devEui, nameof(devEui));
            }

            d.Link = (meanRssiDbm, meanSnrDb, fadingSigmaDb);
        }

        /// <summary>Queues a downlink for a device's next receive window.</summary>
        public void EnqueueDownlink(string devEui, int port, byte[] data)
        {
            if (!_devices.TryGetValue(devEui, out var d))
            {
                throw new ArgumentException("unknown device " + devEui, nameof(devEui));
            }

            d.Downlinks.Enqueue((port, (byte[])data.Clone()));
        }

        /// <summary>
        /// Replaces whatever is queued for a device with one downlink (as an integration does with ChirpStack's
        /// "flush queue, then enqueue"): a newer acknowledgement makes older ones pointless, and a Class A device only
        /// takes one downlink per uplink.
        /// </summary>
        public void ReplaceDownlinks(string devEui, int port, byte[] data)
        {
            if (!_devices.TryGetValue(devEui, out var d))
            {
                throw new ArgumentException("unknown device " + devEui, nameof(devEui));
            }

            d.Downlinks.Clear();
            d.Downlinks.Enqueue((port, (byte[])data.Clone()));
        }

        /// <summary>
        /// Queues a downlink from a ChirpStack v4 enqueue command body, as published to
        /// application/{applicationId}/device/{devEui}/command/down: {"devEui":..,"confirmed":..,"fPort":..,"data":"base64"}.
        /// </summary>
        public void EnqueueDownlinkJson(string json)
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            string devEui = root.GetProperty("devEui").GetString() ?? throw new ArgumentException("devEui missing", nameof(json));
            int port = root.GetProperty("fPort").GetInt32();
            if (port is < 1 or > 223)
            {
                throw new ArgumentException("fPort outside 1..223", nameof(json));
            }

            EnqueueDownlink(devEui, port, Convert.FromBase64String(root.GetProperty("data").GetString() ?? ""));
        }

        /// <summary>Downlinks still queued for a device.</summary>
        public int PendingDownlinks(string devEui) => _devices.TryGetValue(devEui, out var d) ? d.Downlinks.Count : 0;

        /// <summary>True when gateways hear a frame sent at <paramref name="now"/> (range, outage, random loss).</summary>
        private bool Heard(long now)
        {
            if (GatewaysInRange <= 0)
            {
                return false;
            }

            foreach (var (s, e) in _outages)
            {
                if (now >= s && now < e)
                {
                    return false;
                }
            }

            return _random.NextDouble() >= LossProbability;
        }

        /// <summary>A join request from a module, its transmission ending at <paramref name="wallMs"/> (the network's clock when omitted); returns the DevAddr on success, null when lost or refused.</summary>
        internal string? Join(string devEui, string joinEui, byte[] appKey, long wallMs = long.MinValue)
        {
            long now = wallMs == long.MinValue ? _clock.WallTimeMs : wallMs;
            if (!Heard(now))
            {
                FramesLost++;
                return null;
            }

            if (!_devices.TryGetValue(devEui, out var d) || !string.Equals(d.JoinEui, joinEui, StringComparison.OrdinalIgnoreCase)
                || !d.AppKey.AsSpan().SequenceEqual(appKey))
            {
                return null; // the network server ignores a request it cannot authenticate
            }

            if (!Heard(now))
            {
                return null; // join accept lost
            }

            d.DevAddr = _random.Next(0x01000000, 0x01FFFFFF).ToString("x8", CultureInfo.InvariantCulture);
            d.LastFCnt = -1;
            return d.DevAddr;
        }

        /// <summary>What the network did with one uplink.</summary>
        internal sealed class UplinkOutcome
        {
            public bool Delivered;
            public bool Acknowledged;
            public int Gateways;
            public int Rssi;
            public int Snr;
            public (int port, byte[] data)? Downlink;
        }

        /// <summary>
        /// An uplink frame from a module whose transmission ends at <paramref name="wallMs"/> (true world time, airtime
        /// included; the network's clock when omitted): the event is stamped with it, as a network server stamps the
        /// gateways' reception.
        /// </summary>
        internal UplinkOutcome Uplink(string devEui, string devAddr, int fCnt, int port, byte[] data, bool confirmed, int dataRate, bool wantsAnswer, long wallMs = long.MinValue)
        {
            var outcome = new UplinkOutcome();
            long now = wallMs == long.MinValue ? _clock.WallTimeMs : wallMs;
            if (!_devices.TryGetValue(devEui, out var d) || d.DevAddr != devAddr || !Heard(now))
            {
                FramesLost++;
                return outcome;
            }

            outcome.Delivered = true;
            outcome.Gateways = GatewaysInRange;
            if (d.Link is { } link)
            {
                var fade = Gaussian() * link.FadingSigmaDb;
                outcome.Rssi = (int)Math.Round(link.RssiDbm + fade);
                outcome.Snr = (int)Math.Round(link.SnrDb + fade);
            }
            else
            {
                outcome.Rssi = -60 - _random.Next(0, 60);
                outcome.Snr = 10 - _random.Next(0, 25);
            }

            bool duplicate = fCnt == d.LastFCnt;
            d.LastFCnt = fCnt;
            if (!duplicate)
            {
                Deliver(d, fCnt, port, data, confirmed, dataRate, outcome, now);

                // As ChirpStack waits (get_downlink_data_delay) for the application's answer before it schedules RX1.
                AwaitDownlinkData?.Invoke(d.DevEui);
            }

            bool needDownlink = confirmed || wantsAnswer || d.Downlinks.Count > 0;
            if (needDownlink && Heard(now))
            {
                outcome.Acknowledged = confirmed;
                if (d.Downlinks.Count > 0)
                {
                    outcome.Downlink = d.Downlinks.Dequeue();
                }
            }

            return outcome;
        }

        private void Deliver(Device d, int fCnt, int port, byte[] data, bool confirmed, int dataRate, UplinkOutcome outcome, long now)
        {
            var rxInfo = new JsonArray();
            for (int g = 0; g < outcome.Gateways; g++)
            {
                rxInfo.Add(new JsonObject
                {
                    ["gatewayId"] = $"a84041ffff00{g:x4}",
                    ["uplinkId"] = ++_uplinkId,
                    ["time"] = Iso(now),
                    ["rssi"] = outcome.Rssi - (3 * g),
                    ["snr"] = outcome.Snr - g,
                    ["channel"] = fCnt % ChannelsHz.Length,
                    ["location"] = new JsonObject(),
                    ["crcStatus"] = "CRC_OK",
                });
            }

            var evt = new JsonObject
            {
                ["deduplicationId"] = DeterministicGuid(),
                ["time"] = Iso(now),
                ["deviceInfo"] = new JsonObject
                {
                    ["tenantId"] = "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
                    ["tenantName"] = "town",
                    ["applicationId"] = ApplicationId,
                    ["applicationName"] = "river-gauges",
                    ["deviceProfileId"] = "0c0e3a8e-4d5b-4a0c-9a53-3a6d0f7c1e21",
                    ["deviceProfileName"] = "gateway-as923",
                    ["deviceName"] = d.Name,
                    ["devEui"] = d.DevEui,
                    ["tags"] = new JsonObject(),
                },
                ["devAddr"] = d.DevAddr,
                ["adr"] = d.Link is not null,
                ["dr"] = dataRate,
                ["fCnt"] = fCnt,
                ["fPort"] = port,
                ["confirmed"] = confirmed,
                ["data"] = Convert.ToBase64String(data),
                ["rxInfo"] = rxInfo,
                ["txInfo"] = new JsonObject
                {
                    ["frequency"] = ChannelsHz[fCnt % ChannelsHz.Length],
                    ["modulation"] = new JsonObject
                    {
                        ["lora"] = new JsonObject
                        {
                            ["bandwidth"] = As923.BandwidthHz(dataRate),
                            ["spreadingFactor"] = As923.SpreadingFactor(dataRate),
                            ["codeRate"] = "CR_4_5",
                        },
                    },
                },
            };
            string json = evt.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
            UpEvents.Add(json);
            Sink?.Invoke(json);
            TopicSink?.Invoke(EventTopic(d.DevEui), json);
        }

        private double Gaussian()
        {
            var u1 = 1.0 - _random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * _random.NextDouble());
        }

        private string DeterministicGuid()
        {
            var bytes = new byte[16];
            _random.NextBytes(bytes);
            return new Guid(bytes).ToString();
        }

        private static string Iso(long unixMs) =>
            DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        private sealed class Device
        {
            public string DevEui = "";
            public string JoinEui = "";
            public byte[] AppKey = Array.Empty<byte>();
            public string Name = "";
            public string? DevAddr;
            public int LastFCnt = -1;
            public int CommandsTaken;
            public (double RssiDbm, double SnrDb, double FadingSigmaDb)? Link;
            public readonly Queue<(int port, byte[] data)> Downlinks = new();
        }
    }
}
