using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Bindings.Rak3172;
using Gateway.Core.Uplink;
using Gateway.Virtual.Time;
using Xunit;

namespace Gateway.Tests.Uplink
{
    public sealed class UplinkSchedulerTests
    {
        /// <summary>Pending items per class; each payload carries its item id in byte 0 and the class in byte 1.</summary>
        private sealed class FakeSource : IPendingPayloadSource
        {
            public readonly Queue<int>[] Pending = { new(), new(), new() };
            public readonly List<(int id, PayloadClass cls, string transport)> Handed = new();

            public int Next(PayloadClass payloadClass, byte[] buffer, int offset, int maxBytes, out long token)
            {
                token = 0;
                var q = Pending[(int)payloadClass];
                if (q.Count == 0 || maxBytes < 2)
                {
                    return 0;
                }

                token = q.Peek();
                buffer[offset] = (byte)q.Peek();
                buffer[offset + 1] = (byte)payloadClass;
                return Math.Min(maxBytes, 10);
            }

            public bool HasPending(PayloadClass payloadClass) => Pending[(int)payloadClass].Count > 0;

            public void OnHandedOver(long token, PayloadClass payloadClass, string transportName)
            {
                Assert.Equal(token, Pending[(int)payloadClass].Dequeue());
                Handed.Add(((int)token, payloadClass, transportName));
            }
        }

        private sealed class FakeTransport : IUplinkTransport
        {
            public FakeTransport(string name) => Name = name;

            public string Name { get; }
            public bool Up = true;
            public int Max = 50;
            public UplinkStatus Next = UplinkStatus.Sent;
            public long RetryAt;
            public readonly List<byte[]> Sent = new();

            public bool IsAvailable => Up;
            public int MaxPayloadNow => Max;
            public int Ensures;

            public bool EnsureReady()
            {
                Ensures++;
                return Up;
            }

            public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
            {
                if (!Up)
                {
                    return new UplinkResult(UplinkStatus.Unavailable, 0);
                }

                if (Next == UplinkStatus.Sent || Next == UplinkStatus.NetworkAcknowledged)
                {
                    Sent.Add(data.AsSpan(offset, count).ToArray());
                }

                return new UplinkResult(Next, RetryAt);
            }

            public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
            {
                channel = 0;
                return -1;
            }
        }

        private static (UplinkScheduler s, FakeSource src, VirtualClock clock) Make(params (FakeTransport t, int cost, PayloadClass lowest)[] transports)
        {
            var clock = new VirtualClock(Rak3172Rig.T0);
            var src = new FakeSource();
            var s = new UplinkScheduler(src, clock, new SeededRandom(3), 256) { MaxSendsPerRun = 100 };
            foreach (var (t, cost, lowest) in transports)
            {
                Assert.True(s.AddTransport(t, cost, lowest, 1000, 60_000));
            }

            return (s, src, clock);
        }

        [Fact]
        public void Drains_alarms_then_newest_then_backfill()
        {
            var lora = new FakeTransport("lora");
            var (s, src, _) = Make((lora, 1, PayloadClass.Backfill));
            src.Pending[2].Enqueue(100);
            src.Pending[2].Enqueue(101);
            src.Pending[1].Enqueue(50);
            src.Pending[0].Enqueue(7);
            src.Pending[0].Enqueue(8);
            Assert.Equal(5, s.RunOnce());
            Assert.Equal(new[] { 7, 8, 50, 100, 101 }, src.Handed.Select(h => h.id));
            Assert.Equal(new[] { 7, 8, 50, 100, 101 }, lora.Sent.Select(b => (int)b[0]));
        }

        [Fact]
        public void Fails_over_by_cost_and_keeps_backfill_off_the_expensive_link()
        {
            var lora = new FakeTransport("lora") { Up = false };
            var lte = new FakeTransport("lte");
            var (s, src, clock) = Make((lte, 10, PayloadClass.Newest), (lora, 1, PayloadClass.Backfill));
            Assert.Same(lora, s.Transport(0));
            src.Pending[0].Enqueue(1);
            src.Pending[1].Enqueue(2);
            src.Pending[2].Enqueue(3);
            Assert.Equal(2, s.RunOnce());
            Assert.Equal(new[] { ("lte", 1), ("lte", 2) }, src.Handed.Select(h => (h.transport, h.id)));
            Assert.Equal(2, s.FailoverCount);
            Assert.Single(src.Pending[2]);
            Assert.True(s.NotBeforeMs(0) > clock.WallTimeMs, "the failed transport backs off");

            lora.Up = true;
            clock.Advance(61_000);
            Assert.Equal(1, s.RunOnce());
            Assert.Equal(("lora", 3), (src.Handed[^1].transport, src.Handed[^1].id));
        }

        [Fact]
        public void Budget_refusal_defers_the_transport_until_the_named_time()
        {
            var lora = new FakeTransport("lora") { Next = UplinkStatus.RetryLater };
            var (s, src, clock) = Make((lora, 1, PayloadClass.Backfill));
            lora.RetryAt = clock.WallTimeMs + 120_000;
            src.Pending[1].Enqueue(1);
            Assert.Equal(0, s.RunOnce());
            Assert.Equal(lora.RetryAt, s.NotBeforeMs(0));
            lora.Next = UplinkStatus.Sent;
            clock.Advance(60_000);
            Assert.Equal(0, s.RunOnce());
            clock.Advance(60_000);
            Assert.Equal(1, s.RunOnce());
        }

        [Fact]
        public void An_alarm_retries_within_its_ceiling_after_a_long_outage_while_routine_data_keeps_the_backoff()
        {
            var lora = new FakeTransport("lora") { Up = false };
            var clock = new VirtualClock(Rak3172Rig.T0);
            var src = new FakeSource();
            var s = new UplinkScheduler(src, clock, new SeededRandom(5), 256) { MaxSendsPerRun = 100 };
            Assert.True(s.AddTransport(lora, 1, PayloadClass.Backfill, 30_000, 3_600_000));
            src.Pending[1].Enqueue(1);

            // A 48-hour outage, one wake every 10 minutes: the routine backoff grows to its one-hour ceiling.
            for (int wake = 0; wake < 288; wake++)
            {
                Assert.Equal(0, s.RunOnce());
                clock.Advance(600_000);
            }

            lora.Up = true;
            long back = clock.WallTimeMs;
            long routineWait = s.NotBeforeMs(0) - back;
            src.Pending[0].Enqueue(9); // an alarm is raised just as the link returns

            int waitedMs = 0;
            while (s.RunOnce() == 0)
            {
                clock.Advance(10_000);
                waitedMs += 10_000;
                Assert.True(waitedMs <= 120_000, "the alarm waits at most the alarm ceiling");
            }

            Assert.Equal(9, src.Handed[0].id);
            Assert.Equal(PayloadClass.Alarm, src.Handed[0].cls);
            Assert.Contains(src.Handed, h => h.id == 1); // routine data goes behind the alarm once the link took one
            Assert.True(routineWait > 120_000, $"the outage had grown the routine backoff beyond the alarm ceiling ({routineWait} ms)");
        }

        private sealed class UrgentTransport : IUplinkTransport, IUrgentReadiness
        {
            public bool Up;
            public int AlarmCalls;

            public string Name => "lte";
            public bool IsAvailable => Up;
            public int MaxPayloadNow => Up ? 100 : 0;
            public bool EnsureReady() => Up;
            public void AlarmWaiting() => AlarmCalls++;
            public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass) => new(UplinkStatus.Sent, 0);

            public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
            {
                channel = 0;
                return -1;
            }
        }

        [Fact]
        public void A_transport_with_its_own_bring_up_backoff_hears_of_a_waiting_alarm_and_only_then()
        {
            var lte = new UrgentTransport();
            var clock = new VirtualClock(Rak3172Rig.T0);
            var src = new FakeSource();
            var s = new UplinkScheduler(src, clock, new SeededRandom(5), 256);
            Assert.True(s.AddTransport(lte, 1, PayloadClass.Backfill, 30_000, 3_600_000));
            src.Pending[1].Enqueue(1);
            Assert.Equal(0, s.RunOnce());
            Assert.Equal(0, lte.AlarmCalls); // routine data waits on the transport's own terms

            src.Pending[0].Enqueue(2);
            clock.Advance(3_600_000);
            Assert.Equal(0, s.RunOnce());
            Assert.Equal(1, lte.AlarmCalls);

            lte.Up = true;
            clock.Advance(3_600_000);
            Assert.Equal(2, s.RunOnce());
            Assert.Equal(1, lte.AlarmCalls); // a ready transport is not told
        }

        [Fact]
        public void Without_a_waiting_alarm_a_down_link_is_not_brought_up_before_its_routine_backoff()
        {
            // A LoRaWAN join or a cellular attach must not come every two minutes just because alarms may retry that often.
            var lora = new FakeTransport("lora") { Up = false };
            var clock = new VirtualClock(Rak3172Rig.T0);
            var src = new FakeSource();
            var s = new UplinkScheduler(src, clock, new SeededRandom(5), 256);
            Assert.True(s.AddTransport(lora, 1, PayloadClass.Backfill, 30_000, 3_600_000));
            src.Pending[1].Enqueue(1);
            // Fail until a full-jitter draw puts the next routine attempt more than five minutes away.
            for (int i = 0; i < 500 && s.NotBeforeMs(0) - clock.WallTimeMs <= 300_000; i++)
            {
                s.RunOnce();
                clock.Advance(60_000);
            }

            int before = lora.Ensures;
            long notBefore = s.NotBeforeMs(0);
            Assert.True(notBefore - clock.WallTimeMs > 300_000, "the routine backoff has grown past the alarm ceiling");
            while (clock.WallTimeMs + 60_000 < notBefore)
            {
                s.RunOnce();
                clock.Advance(60_000);
            }

            Assert.Equal(before, lora.Ensures);
        }

        [Fact]
        public void A_dwell_time_refusal_binds_alarms_too()
        {
            var lora = new FakeTransport("lora") { Next = UplinkStatus.RetryLater };
            var (s, src, clock) = Make((lora, 1, PayloadClass.Backfill));
            lora.RetryAt = clock.WallTimeMs + 600_000;
            src.Pending[0].Enqueue(1);
            Assert.Equal(0, s.RunOnce());
            lora.Next = UplinkStatus.Sent;
            clock.Advance(590_000);
            Assert.Equal(0, s.RunOnce());
            clock.Advance(10_000);
            Assert.Equal(1, s.RunOnce());
        }

        [Fact]
        public void Lower_classes_never_overtake_a_blocked_alarm()
        {
            var alarmsOnly = new FakeTransport("sat") { Up = false };
            var lora = new FakeTransport("lora");
            var (s, src, _) = Make((lora, 1, PayloadClass.Backfill), (alarmsOnly, 50, PayloadClass.Alarm));
            lora.Max = 1; // too small for any payload: alarms are blocked
            src.Pending[0].Enqueue(1);
            src.Pending[1].Enqueue(2);
            Assert.Equal(0, s.RunOnce());
            Assert.Empty(src.Handed);
        }

        [Fact]
        public void Scheduler_over_the_rak3172_transport_delivers_in_priority_order_to_the_network_server()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            var transport = new Rak3172Transport(rig.Driver, rig.Budget, rig.Clock);
            var src = new FakeSource();
            var s = new UplinkScheduler(src, rig.Clock, new SeededRandom(9), 242);
            s.AddTransport(transport, 1, PayloadClass.Backfill, 5000, 600_000);
            src.Pending[2].Enqueue(30);
            src.Pending[1].Enqueue(20);
            src.Pending[0].Enqueue(10);
            Assert.Equal(3, s.RunOnce());
            Assert.True(rig.Driver.IsJoined);
            var delivered = rig.Network.UpEvents
                .Select(e => System.Text.Json.JsonDocument.Parse(e).RootElement.GetProperty("data").GetString()!)
                .Select(b => Convert.FromBase64String(b)[0]).ToArray();
            Assert.Equal(new byte[] { 10, 20, 30 }, delivered);
            Assert.Contains("AT+CFM=1", rig.Line.Written); // the alarm went confirmed
        }

        [Fact]
        public void A_run_allocates_nothing_in_steady_state()
        {
            var lora = new FakeTransport("lora");
            var (s, src, _) = Make((lora, 1, PayloadClass.Backfill));
            s.RunOnce();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                s.RunOnce(); // nothing pending: every class asked, nothing sent
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
