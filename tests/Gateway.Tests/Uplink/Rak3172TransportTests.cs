using System;
using System.Linq;
using System.Text;
using Gateway.Bindings.Rak3172;
using Gateway.Cloud.Ingest;
using Gateway.Core.Codec;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Uplink
{
    public class Rak3172TransportTests
    {
        private static (Rak3172Rig Rig, Rak3172Transport Transport) Joined(int dataRate)
        {
            var rig = new Rak3172Rig();
            rig.Settings.DataRate = dataRate;
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Initialize());
            Assert.Equal(Rak3172Status.Ok, rig.Driver.EnsureJoined());
            return (rig, new Rak3172Transport(rig.Driver, rig.Budget, rig.Clock));
        }

        [Fact]
        public void Above_dr2_a_batch_is_one_frame_on_the_batch_port()
        {
            var (rig, transport) = Joined(3);
            Assert.False(transport.Fragmenting);
            Assert.Equal(53, transport.MaxPayloadNow);
            var batch = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
            Assert.Equal(UplinkStatus.Sent, transport.Send(batch, 0, batch.Length, PayloadClass.Newest).Status);
            var up = ChirpStackEvents.ReadUplink(Encoding.UTF8.GetBytes(rig.Network.UpEvents.Single()), DateTimeOffset.UnixEpoch).Uplink!;
            Assert.Equal(BatchFragmenter.BatchPort, up.FPort);
            Assert.Equal(batch, up.Payload);
            Assert.Equal(0, transport.FragmentsSent);
        }

        [Fact]
        public void At_dr2_a_batch_goes_as_fragments_in_consecutive_frames_that_the_cloud_puts_back_together()
        {
            var (rig, transport) = Joined(2);
            Assert.True(transport.Fragmenting);
            Assert.Equal(BatchFragmenter.BudgetFor(8), transport.MaxPayloadNow);
            var batch = Enumerable.Range(0, 75).Select(i => (byte)(i * 7)).ToArray();
            Assert.Equal(UplinkStatus.Sent, transport.Send(batch, 0, batch.Length, PayloadClass.Alarm).Status);
            Assert.Equal(8, transport.FragmentsSent);
            Assert.Equal(8, rig.Module.UplinksSent);
            Assert.True(rig.Module.LongestTransmissionUs <= 400_000, "every fragment within the 400 ms dwell limit");
            var assembler = new LoRaBatchAssembler();
            byte[]? whole = null;
            uint? previous = null;
            foreach (var json in rig.Network.UpEvents)
            {
                var up = ChirpStackEvents.ReadUplink(Encoding.UTF8.GetBytes(json), DateTimeOffset.UnixEpoch).Uplink!;
                Assert.Equal(BatchFragmenter.FragmentPort, up.FPort);
                Assert.InRange(up.Payload.Length, 2, BatchFragmenter.FrameBytes);
                Assert.True(previous is null || up.FCnt == previous + 1, "fragments go in consecutive frames");
                previous = up.FCnt;
                Assert.Null(whole);
                whole = assembler.Take(up).Batch;
            }

            Assert.Equal(batch, whole);
        }

        [Fact]
        public void At_dr2_the_batch_shrinks_to_the_fragments_the_hour_still_holds()
        {
            var (rig, transport) = Joined(2);
            var frameUs = As923.UplinkMicroseconds(2, BatchFragmenter.FrameBytes);
            rig.Budget.Settings.SafetyMarginPercent = 0;
            rig.Budget.Settings.HourlyLimitUs = rig.Budget.UsedThisHourUs(rig.Clock.WallTimeMs) + (3 * frameUs) + 1;
            Assert.Equal(BatchFragmenter.BudgetFor(3), transport.MaxPayloadNow);
            rig.Budget.Settings.HourlyLimitUs = rig.Budget.UsedThisHourUs(rig.Clock.WallTimeMs) + frameUs - 1;
            Assert.Equal(0, transport.MaxPayloadNow);
        }

        [Fact]
        public void At_dr2_a_batch_too_large_for_sixteen_fragments_is_refused_without_a_frame()
        {
            var (rig, transport) = Joined(2);
            var batch = new byte[(BatchFragmenter.MaxFragments * BatchFragmenter.PayloadPerFragment) + 1];
            Assert.Equal(UplinkStatus.TooLarge, transport.Send(batch, 0, batch.Length, PayloadClass.Newest).Status);
            Assert.Equal(0, rig.Module.UplinksSent);
        }
    }
}
