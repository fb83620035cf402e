using System;
using System.Text;
using Gateway.Cloud.Ingest;
using Xunit;

namespace Gateway.Tests.Cloud
{
    public class IngestAdapterTests
    {
        private static readonly DateTimeOffset Now = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

        private const string ChirpStackUp = """
            {"deduplicationId":"3f1c1a2e-6b1e-4d4e-9d3a-0a7d5d5b0c11","time":"2026-09-01T03:04:05.123Z",
             "deviceInfo":{"tenantId":"t","applicationId":"a1","deviceName":"river-07","devEui":"70b3d57ed0001234"},
             "devAddr":"01020304","adr":false,"dr":3,"fCnt":42,"fPort":2,"confirmed":false,"data":"AQIDBA==",
             "rxInfo":[{"gatewayId":"g1","rssi":-101,"snr":-3.5},{"gatewayId":"g2","rssi":-88,"snr":4.25}],
             "txInfo":{"frequency":923200000,"modulation":{"lora":{"bandwidth":125000,"spreadingFactor":9,"codeRate":"CR_4_5"}}}}
            """;

        private const string TtsUp = """
            {"end_device_ids":{"device_id":"river-07","application_ids":{"application_id":"town"},"dev_eui":"70B3D57ED0001234"},
             "received_at":"2026-09-01T03:04:05.5Z",
             "uplink_message":{"f_port":2,"f_cnt":"43","frm_payload":"BQYH","rx_metadata":[{"rssi":-95,"snr":1.5}],
               "settings":{"data_rate":{"lora":{"bandwidth":125000,"spreading_factor":10}},"frequency":"923400000"}}}
            """;

        [Fact]
        public void A_ChirpStack_uplink_event_gives_the_payload_and_the_best_gateway()
        {
            var r = ChirpStackEvents.ReadUplink(Encoding.UTF8.GetBytes(ChirpStackUp), Now);
            Assert.True(r.Ok, r.Error);
            var u = r.Uplink!;
            Assert.Equal("70B3D57ED0001234", u.DevEui);
            Assert.Equal(2, u.FPort);
            Assert.Equal(42u, u.FCnt);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, u.Payload);
            Assert.Equal(-88, u.Rssi);
            Assert.Equal(4.25, u.Snr);
            Assert.Equal(9, u.SpreadingFactor);
            Assert.Equal(new DateTimeOffset(2026, 9, 1, 3, 4, 5, 123, TimeSpan.Zero), u.ReceivedAt);
        }

        [Fact]
        public void A_Things_Stack_uplink_message_gives_the_payload_and_counter_written_as_a_string()
        {
            var r = TheThingsStackEvents.ReadUplink(Encoding.UTF8.GetBytes(TtsUp), Now);
            Assert.True(r.Ok, r.Error);
            Assert.Equal(43u, r.Uplink!.FCnt);
            Assert.Equal(new byte[] { 5, 6, 7 }, r.Uplink.Payload);
            Assert.Equal(10, r.Uplink.SpreadingFactor);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("[1,2]", "not a JSON object")]
        [InlineData("{\"deviceInfo\":{\"devEui\":\"xyz\"}}", "devEui")]
        [InlineData("{\"deviceInfo\":{\"devEui\":\"70b3d57ed0001234\"},\"fPort\":0,\"data\":\"AQ==\"}", "fPort")]
        [InlineData("{\"deviceInfo\":{\"devEui\":\"70b3d57ed0001234\"},\"fPort\":2,\"data\":\"%%%\"}", "base64")]
        [InlineData("{\"deviceInfo\":{\"devEui\":\"70b3d57ed0001234\"},\"fPort\":2}", "data")]
        [InlineData("{\"deviceInfo\":", "malformed")]
        public void A_malformed_ChirpStack_event_is_rejected_with_a_reason(string json, string reasonPart)
        {
            var r = ChirpStackEvents.ReadUplink(Encoding.UTF8.GetBytes(json), Now);
            Assert.False(r.Ok);
            Assert.Contains(reasonPart, r.Error, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void Fifty_thousand_mutated_events_are_rejected_or_read_never_thrown()
        {
            var rng = new Random(20261121);
            var seeds = new[] { Encoding.UTF8.GetBytes(ChirpStackUp), Encoding.UTF8.GetBytes(TtsUp) };
            var rejected = 0;
            for (var i = 0; i < 50_000; i++)
            {
                var b = (byte[])seeds[i & 1].Clone();
                var flips = 1 + rng.Next(8);
                for (var f = 0; f < flips; f++)
                {
                    switch (rng.Next(3))
                    {
                        case 0: b[rng.Next(b.Length)] = (byte)rng.Next(256); break;
                        case 1: b = b.AsSpan(0, rng.Next(b.Length)).ToArray(); break;
                        default: b[rng.Next(b.Length)] = (byte)"{}[]\",:0aZ\\"[rng.Next(11)]; break;
                    }

                    if (b.Length == 0)
                    {
                        break;
                    }
                }

                var a = ChirpStackEvents.ReadUplink(b, Now);
                var t = TheThingsStackEvents.ReadUplink(b, Now);
                Assert.True(a.Ok || !string.IsNullOrEmpty(a.Error));
                Assert.True(t.Ok || !string.IsNullOrEmpty(t.Error));
                rejected += a.Ok ? 0 : 1;
            }

            Assert.True(rejected > 10_000, "mutations should mostly be rejected");
        }

        [Fact]
        public void Downlink_commands_follow_each_network_servers_format()
        {
            Assert.Equal("application/a1/device/70b3d57ed0001234/command/down", ChirpStackEvents.DownlinkTopic("a1", "70B3D57ED0001234"));
            Assert.Contains("\"data\":\"AQI=\"", ChirpStackEvents.DownlinkJson("70B3D57ED0001234", 3, new byte[] { 1, 2 }), StringComparison.Ordinal);
            Assert.Contains("\"frm_payload\":\"AQI=\"", TheThingsStackEvents.DownlinkJson(3, new byte[] { 1, 2 }), StringComparison.Ordinal);
            Assert.Equal("a1", ChirpStackEvents.ApplicationIdFromTopic("application/a1/device/x/event/up"));
        }
    }
}
