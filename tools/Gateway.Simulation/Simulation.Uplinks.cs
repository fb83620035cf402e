using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cloud.Ingest;
using Gateway.Cloud.Receiver;
using Gateway.Core.Uplink;
using Gateway.Virtual.Cellular;
using Gateway.Virtual.LoRa;

namespace Gateway.Simulation
{
    /// <content>The gateways' uplink paths to the simulator's own receiver (LoRaWAN through the virtual network server, cellular through the emulated modem), and an attacker's tries.</content>
    public sealed partial class Simulation
    {
        private IUplinkTransport MakeTransport(SimGateway g)
        {
            if (_options.Transport == "lora")
            {
                return g.LoRaTransport(Network);
            }

            if (Link != null)
            {
                if (_options.Transport == "cellular")
                {
                    // The real driver and modem emulator; the modem's MQTT sessions go through the operators' shared
                    // connection to the broker (a thousand gateways need not open a thousand sockets).
                    var broker = _broker!.Value;
                    var side = g.Modem?.MqttSide ?? new BrokerLinkMqttSide(Link, g.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture), () => g.Clock.WallTimeMs);
                    return g.CellularTransport(side, wallMs => !OutageWindows.Contains(_outages, wallMs), broker.Host, broker.Port, broker.User, broker.Password);
                }

                return new BrokerTransport(Link, g.DeviceId, g.Clock, _outages);
            }

            if (_options.Transport == "cellular")
            {
                // The real SIM7080G driver over a virtual UART to the modem emulator; behind it an in-process broker
                // and this receiver, 300 ms round trip, the run's loss; an outage takes the modem's coverage away.
                var side = g.Modem?.MqttSide ?? new InProcessMqttSide(() => g.Clock.WallTimeMs, CellularCloud, _options.Loss, _random.Next());
                return g.CellularTransport(side, wallMs => !OutageWindows.Contains(_outages, wallMs));
            }

            return new LoopbackTransport(_options.Transport == "wifi" ? "mqtt-wifi" : "mqtt-lte", g.Clock,
                payload => Receiver!.Ingest(_options.Transport, payload, g.Clock.WallTimeMs).AckDownlinks,
                _options.Loss, _outages, _random.Next());
        }

        /// <summary>The cloud end of the in-process broker: a batch on gw/{id}/up to the receiver, its acknowledgements back as the MQTT receiver publishes them.</summary>
        private IEnumerable<(string Topic, byte[] Payload)> CellularCloud(string topic, byte[] payload, long receivedAtMs)
        {
            var parts = topic.Split('/');
            if (parts.Length != 3 || parts[0] != "gw" || parts[2] != "up")
            {
                return Array.Empty<(string, byte[])>();
            }

            BytesReceived += payload.Length;
            var outcome = Receiver!.Ingest("cellular", payload, receivedAtMs);
            var id = outcome.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return outcome.AckDownlinks.SelectMany(a => MqttReceiverService.DownlinkPublications(id, MqttTopics.AckChannel, a)).ToList();
        }

        private void OnLoRaUplink(string json)
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(Gateways.Max(x => x.Clock.WallTimeMs));
            var r = ChirpStackEvents.ReadUplink(System.Text.Encoding.UTF8.GetBytes(json), now);
            if (!r.Ok)
            {
                return;
            }

            BytesReceived += r.Uplink!.Payload.Length;
            var payload = LoRaBatches.Take(r.Uplink);
            if (payload.Error is not null)
            {
                LoRaUplinksRefused++;
            }

            if (payload.Batch is null)
            {
                return; // a fragment waiting for the rest of its batch, or refused
            }

            var outcome = Receiver!.Ingest("lora", payload.Batch, r.Uplink.ReceivedAt.ToUnixTimeMilliseconds());
            LoRaBatches.Stored(payload);
            foreach (var ack in outcome.AckDownlinks)
            {
                Network.ReplaceDownlinks(r.Uplink.DevEui, 10, ack);
            }
        }

        /// <summary>An attacker's try: a captured batch, altered or re-signed with a wrong key, sent to the receiver.</summary>
        private void TryForgery(long wallMs)
        {
            var g = Gateways[_random.Next(Gateways.Count)];
            var fake = new Gateway.Core.Codec.BatchEncoder(new Gateway.Virtual.Security.HostHmacSha256(1, Enumerable.Range(0, 32).Select(i => (byte)_random.Next(256)).ToArray()), g.DeviceId, 1, 256);
            var readings = new[] { new Gateway.Core.Sensing.Reading(Gateway.Core.Sensing.ChannelId.WaterLevelMillimeters, wallMs, 9_999, 0) };
            var buffer = new byte[256];
            var len = fake.Encode(readings, new[] { 4_000_000_000u + (uint)ForgedTried }, 0, 1, 53, 8, buffer, 0);
            ForgedTried++;
            var forged = buffer.AsSpan(0, len).ToArray();
            if (Link != null)
            {
                // Through the broker, like a real attacker on a gateway's topic; the audit trail says what became of it.
                Link.Publish(Gateway.Core.Uplink.MqttTopics.Up(g.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture)), forged, wallMs, fromGateway: false);
                return;
            }

            var outcome = Receiver!.Ingest("attacker", forged, wallMs);
            if (outcome.Stored > 0 || outcome.Accepted)
            {
                ForgedAccepted++;
            }
        }
    }
}
