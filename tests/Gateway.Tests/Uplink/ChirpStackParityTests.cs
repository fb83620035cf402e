using System;
using System.Linq;
using System.Text;
using Gateway.Bindings.Rak3172;
using Gateway.Cloud.Ingest;
using Xunit;

namespace Gateway.Tests.Uplink
{
    /// <summary>The emulated network server speaks the same ChirpStack v4 JSON the cloud receiver ingests.</summary>
    public sealed class ChirpStackParityTests
    {
        [Fact]
        public void Cloud_ingest_reads_the_emulated_up_event_exactly()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            rig.Driver.Send(2, new byte[] { 1, 2, 3 }, 0, 3, confirmed: false);
            var payload = Enumerable.Range(0, 40).Select(i => (byte)(255 - i)).ToArray();
            long sentAt = rig.Clock.WallTimeMs;
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Send(7, payload, 0, payload.Length, confirmed: false));

            var result = ChirpStackEvents.ReadUplink(Encoding.UTF8.GetBytes(rig.Network.UpEvents[^1]), DateTimeOffset.UnixEpoch);
            Assert.True(result.Ok, result.Error);
            var up = result.Uplink!;
            Assert.Equal(Rak3172Rig.DevEui, up.DevEui);
            Assert.Equal(7, up.FPort);
            Assert.Equal(1u, up.FCnt);
            Assert.Equal(payload, up.Payload);
            Assert.Equal(9, up.SpreadingFactor);
            Assert.InRange(up.ReceivedAt.ToUnixTimeMilliseconds(), sentAt, sentAt + 1000);
            Assert.NotNull(up.Rssi);
        }

        [Fact]
        public void The_transport_sends_whole_batches_on_fPort_1_where_the_payload_decoder_reads_them()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            var transport = new Rak3172Transport(rig.Driver, rig.Budget, rig.Clock);
            Assert.True(transport.EnsureReady());
            var batch = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
            Assert.True(transport.Send(batch, 0, batch.Length, Gateway.Core.Uplink.PayloadClass.Backfill).HandedOver);

            var up = ChirpStackEvents.ReadUplink(Encoding.UTF8.GetBytes(rig.Network.UpEvents[^1]), DateTimeOffset.UnixEpoch).Uplink!;
            Assert.Equal(Gateway.Core.Codec.BatchFragmenter.BatchPort, up.FPort);
            Assert.NotEqual(Gateway.Core.Codec.BatchFragmenter.FragmentPort, up.FPort);
            Assert.Equal(batch, up.Payload);
        }

        [Fact]
        public void A_chirpstack_downlink_command_reaches_the_driver()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            rig.Network.EnqueueDownlinkJson(ChirpStackEvents.DownlinkJson(Rak3172Rig.DevEui, 9, new byte[] { 0xAC, 0x01 }));
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Send(2, new byte[] { 1 }, 0, 1, confirmed: false));
            var transport = new Rak3172Transport(rig.Driver, rig.Budget, rig.Clock);
            var buf = new byte[8];
            Assert.Equal(2, rig.Driver.NextDownlinkLength);
            Assert.Equal(-1, transport.PollDownlink(buf, 0, 1, out _)); // too small: stays queued
            Assert.Equal(2, transport.PollDownlink(buf, 0, buf.Length, out int port));
            Assert.Equal(9, port);
            Assert.Equal(new byte[] { 0xAC, 0x01 }, buf[..2]);
            Assert.Equal(-1, transport.PollDownlink(buf, 0, buf.Length, out _));
        }
    }
}
