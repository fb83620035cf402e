using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Bindings.Sim7080;
using Gateway.Cloud.Receiver;
using Gateway.Core.Uplink;
using Gateway.Virtual.Cellular;
using Gateway.Virtual.LoRa;
using Gateway.Virtual.Time;
using Xunit;

namespace Gateway.Tests.Cellular
{
    /// <summary>
    /// The SIM7080G emulator with its in-process MQTT side (what the simulator runs): the real driver's publishes reach
    /// the cloud delegate in virtual time, the cloud's answers come back as +SMSUB URCs on the subscribed pair, lost
    /// coverage and broken connections take the session away as on a real network, and the driver's recovery brings it back.
    /// </summary>
    public sealed class InProcessModemTests
    {
        private const string Id = "7";
        private static readonly byte[] Batch = { 0x00, 0x0D, 0x0A, 0x22, 0xFF, 0x10, 0x2C };

        private sealed class Rig
        {
            public Rig(double loss = 0, bool subHex = true, Func<long, bool>? coverage = null, int seed = 3)
            {
                Clock = new VirtualClock(1_790_000_000_000L);
                Line = new VirtualSerialLine(Clock);
                Side = new InProcessMqttSide(() => Clock.WallTimeMs, Cloud, loss, seed);
                Modem = new VirtualSim7080(Line, seed, Side) { SubHexSupported = subHex, CoverageSchedule = coverage };
                var settings = new Sim7080Settings { Apn = "soracom.io", BrokerHost = "mqtt.sim.invalid", BrokerPort = 1883, UseTls = false, DeviceId = Id };
                Driver = new Sim7080(Line, Clock, settings, new VirtualModemPowerKey(Clock, Modem));
                Transport = new Sim7080Transport(Driver, Clock);
            }

            public VirtualClock Clock { get; }
            public VirtualSerialLine Line { get; }
            public InProcessMqttSide Side { get; }
            public VirtualSim7080 Modem { get; }
            public Sim7080 Driver { get; }
            public Sim7080Transport Transport { get; }
            public List<(string Topic, byte[] Payload, long AtMs)> Received { get; } = new();

            // The cloud acknowledges every batch with its reversed bytes, published as the MQTT receiver does (binary and hex twin).
            private IEnumerable<(string, byte[])> Cloud(string topic, byte[] payload, long atMs)
            {
                Received.Add((topic, payload, atMs));
                return MqttReceiverService.DownlinkPublications(Id, MqttTopics.AckChannel, payload.Reverse().ToArray());
            }

            public List<byte[]> TakeAcks()
            {
                var list = new List<byte[]>();
                var buffer = new byte[512];
                int n;
                while ((n = Transport.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
                {
                    Assert.Equal(MqttTopics.AckChannel, channel);
                    list.Add(buffer.AsSpan(0, n).ToArray());
                }

                return list;
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_publish_reaches_the_cloud_half_a_round_trip_later_and_its_acknowledgement_comes_back_once_byte_identical(bool subHex)
        {
            var rig = new Rig(subHex: subHex);
            Assert.True(rig.Transport.EnsureReady(), rig.Transport.LastStatus.ToString());
            Assert.Equal(subHex, !rig.Driver.SubscribedToHexTwins);

            long before = rig.Clock.WallTimeMs;
            Assert.Equal(UplinkStatus.Sent, rig.Transport.Send(Batch, 0, Batch.Length, PayloadClass.Newest).Status);
            var (topic, payload, at) = Assert.Single(rig.Received);
            Assert.Equal(MqttTopics.Up(Id), topic);
            Assert.Equal(Batch, payload);
            Assert.InRange(at - before, InProcessMqttSide.DefaultRoundTripMs / 2, (InProcessMqttSide.DefaultRoundTripMs / 2) + 50);
            Assert.True(rig.Clock.WallTimeMs - before >= InProcessMqttSide.DefaultRoundTripMs, "the modem's OK waits for the PUBACK");

            // Exactly one of the pair reached the modem (the other topic is not subscribed), decoded to the same bytes.
            var ack = Assert.Single(rig.TakeAcks());
            Assert.Equal(Batch.Reverse().ToArray(), ack);
            Assert.Equal(1, rig.Side.NotSubscribed);
        }

        [Fact]
        public void Losing_coverage_drops_the_session_and_the_driver_attaches_again_when_it_returns()
        {
            long outageStart = 1_790_000_000_000L + 600_000, outageEnd = outageStart + 3_600_000;
            var rig = new Rig(coverage: t => t < outageStart || t >= outageEnd);
            Assert.True(rig.Transport.EnsureReady());
            Assert.Equal(1, rig.Modem.Attaches);

            rig.Clock.Advance(outageStart + 1 - rig.Clock.WallTimeMs);
            Assert.Equal(UplinkStatus.Unavailable, rig.Transport.Send(Batch, 0, Batch.Length, PayloadClass.Newest).Status);
            Assert.Empty(rig.Received);
            Assert.Equal(1, rig.Modem.CoverageLosses);
            // The modem lost its registration silently (no +CEREG URCs are enabled): the driver's first bring-up is
            // refused at AT+CNACT=0,1, after which it asks for the registration again and reports the real cause.
            Assert.False(rig.Transport.EnsureReady());
            Assert.Equal(Sim7080Status.NoDataConnection, rig.Transport.LastStatus);
            rig.Transport.RetryNow();
            Assert.False(rig.Transport.EnsureReady());
            Assert.Equal(Sim7080Status.NoCoverage, rig.Transport.LastStatus);
            Assert.True(rig.Clock.WallTimeMs < outageEnd, "the attach deadline ended inside the outage");

            // Right when the network comes back: the driver waits for the registration (a few seconds) in the same bring-up.
            rig.Clock.Advance(outageEnd - rig.Clock.WallTimeMs);
            rig.Transport.RetryNow();
            Assert.True(rig.Transport.EnsureReady(), rig.Transport.LastStatus.ToString());
            Assert.Equal(2, rig.Modem.Attaches);
            Assert.Equal(2, rig.Modem.PdpActivations);
            Assert.Equal(UplinkStatus.Sent, rig.Transport.Send(Batch, 0, Batch.Length, PayloadClass.Newest).Status);
            Assert.Single(rig.Received);
            Assert.Single(rig.TakeAcks());
        }

        [Fact]
        public void A_publish_that_breaks_the_connection_is_reported_and_the_acknowledgement_of_one_that_arrived_waits_for_the_next_session()
        {
            var rig = new Rig(loss: 1.0, seed: 11);
            const int tries = 30;
            int acks = 0;
            for (int i = 0; i < tries; i++)
            {
                Assert.True(rig.Transport.EnsureReady(), rig.Transport.LastStatus.ToString());
                acks += rig.TakeAcks().Count;
                Assert.Equal(UplinkStatus.Unavailable, rig.Transport.Send(Batch, 0, Batch.Length, PayloadClass.Newest).Status);
                Assert.False(rig.Driver.IsMqttConnected);
            }

            Assert.True(rig.Transport.EnsureReady());
            rig.Clock.Advance(InProcessMqttSide.DefaultRoundTripMs); // the kept messages arrive half a round trip after the connect
            acks += rig.TakeAcks().Count;

            // Every publish broke its connection; some reached the cloud anyway, and each of those was acknowledged
            // at the next connect from the broker's persistent session.
            Assert.Equal(tries, rig.Side.Broken);
            Assert.Equal(tries, rig.Driver.SessionsLost);
            Assert.InRange(rig.Received.Count, 1, tries - 1);
            Assert.Equal(tries - rig.Side.Lost, rig.Received.Count);
            Assert.Equal(rig.Received.Count, acks);
            Assert.Equal(rig.Received.Count, rig.Side.DeliveredLater);
        }
    }
}
