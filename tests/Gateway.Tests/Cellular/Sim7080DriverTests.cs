using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Gateway.Bindings.Sim7080;
using Gateway.Core.Node;
using Gateway.Core.Uplink;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Cellular
{
    /// <summary>
    /// The portable SIM7080G driver and transport against the emulator, whose MQTT side is a real mosquitto broker:
    /// batches arrive byte-identical, binary downlinks come back through +SMSUB, and every fault ends in a clear status
    /// within its deadline (virtual time), with recovery.
    /// </summary>
    public sealed class Sim7080DriverTests
    {
        private static readonly byte[] ProbeBytes = Encoding.ASCII.GetBytes("probe");
        private readonly ITestOutputHelper _out;

        public Sim7080DriverTests(ITestOutputHelper output) => _out = output;

        private static byte[] Payload(Random random, int length)
        {
            var b = new byte[length];
            random.NextBytes(b);
            b[0] = 0x00; // every payload holds a zero byte and a byte above 0x7F
            if (length > 1)
            {
                b[length - 1] = 0xFF;
            }

            return b;
        }

        private static List<(int channel, byte[] data)> Drain(Sim7080Rig rig)
        {
            var list = new List<(int, byte[])>();
            var buffer = new byte[1024];
            int n;
            while ((n = rig.Transport.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
            {
                var data = buffer.AsSpan(0, n).ToArray();
                if (!data.AsSpan().SequenceEqual(ProbeBytes))
                {
                    list.Add((channel, data));
                }
            }

            return list;
        }

        [Fact]
        public void Binary_batches_published_through_the_modem_reach_the_broker_byte_identical()
        {
            using var rig = new Sim7080Rig(seed: 11);
            var received = new ConcurrentQueue<byte[]>();
            using var cloud = rig.Cloud(received);
            cloud.WaitUpSubscribed(received);

            long start = rig.Clock.UptimeMs;
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            long bringUpMs = rig.Clock.UptimeMs - start;
            Assert.Equal("mqtt-lte", rig.Transport.Name);
            Assert.True(rig.Transport.IsAvailable);
            Assert.Equal(512, rig.Transport.MaxPayloadNow);
            Assert.True(rig.Driver.HexDownlinks);
            Assert.Equal("0", rig.Modem.MqttConfig("CLEANSS"));

            var random = new Random(5);
            var sent = new List<byte[]>();
            foreach (int length in new[] { 1, 2, 13, 64, 200, 300, 411, 500, 511, 512 })
            {
                var p = Payload(random, length);
                var r = rig.Transport.Send(p, 0, p.Length, PayloadClass.Newest);
                Assert.Equal(UplinkStatus.Sent, r.Status);
                sent.Add(p);
            }

            Assert.True(Sim7080Rig.WaitReal(() => received.Count >= sent.Count));
            Assert.Equal(sent, received.ToArray());
            var tooBig = new byte[513];
            Assert.Equal(UplinkStatus.TooLarge, rig.Transport.Send(tooBig, 0, tooBig.Length, PayloadClass.Backfill).Status);
            _out.WriteLine($"sim7080 bring-up (virtual): {bringUpMs} ms; {sent.Count} batches ({sent.Sum(s => s.Length)} B) byte-identical at the broker");
        }

        [Fact]
        public void Binary_downlinks_from_the_broker_arrive_through_SMSUB_with_their_channel()
        {
            using var rig = new Sim7080Rig(seed: 12);
            var received = new ConcurrentQueue<byte[]>();
            using var cloud = rig.Cloud(received);
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            rig.WaitDownSubscribed(cloud);

            var ack = new byte[] { 0x00, 0x01, 0x80, 0xFF, 0x22, 0x0D, 0x0A, 0x2C, 0x00 }; // NUL, non-UTF-8, quote, CR LF, comma
            var command = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
            int before = rig.Modem.UrcsQueued;
            Assert.True(cloud.Publish("gw/7/ack", ack, 1, false, Sim7080Rig.RealWait));
            Assert.True(cloud.Publish("gw/7/down", command, 1, false, Sim7080Rig.RealWait));
            Assert.True(cloud.Publish("gw/8/down", command, 1, false, Sim7080Rig.RealWait)); // another gateway's: not subscribed
            var got = new List<(int channel, byte[] data)>();
            Assert.True(Sim7080Rig.WaitReal(() =>
            {
                got.AddRange(Drain(rig)); // a late probe is dropped by Drain, so only the two real messages count
                return got.Count >= 2;
            }));
            Thread.Sleep(50);
            got.AddRange(Drain(rig));
            Assert.Equal(2, got.Count);
            Assert.Equal(MqttTopics.AckChannel, got[0].channel);
            Assert.Equal(ack, got[0].data);
            Assert.Equal(MqttTopics.DownChannel, got[1].channel);
            Assert.Equal(command, got[1].data);
            Assert.Equal(0, rig.Driver.DownlinksRefused);
        }

        [Fact]
        public void Signal_and_network_time_are_read_for_commissioning()
        {
            using var rig = new Sim7080Rig(seed: 14);
            Assert.True(rig.Transport.EnsureReady());
            var signal = new Sim7080Signal();
            Assert.Equal(Sim7080Status.Ok, rig.Driver.ReadSignal(signal));
            Assert.Equal(CellSystemMode.CatM, signal.Mode);
            Assert.True(signal.HasCellMetrics);
            Assert.Equal(-97, signal.RsrpDbm);
            Assert.Equal(-10, signal.RsrqDb);
            Assert.Equal(9, signal.SinrDb);
            Assert.Equal(18, signal.CsqRssi);
            Assert.Equal(-77, signal.CsqDbm);
            Assert.Equal(1, signal.Registration);
            Assert.True(rig.Driver.TryReadNetworkTime(out long unixMs));
            Assert.InRange(unixMs, rig.Clock.WallTimeMs - 2000, rig.Clock.WallTimeMs);
            _out.WriteLine($"signal: CSQ {signal.CsqRssi} ({signal.CsqDbm} dBm), RSRP {signal.RsrpDbm} dBm, RSRQ {signal.RsrqDb} dB, SINR {signal.SinrDb} dB; network time off by {rig.Clock.WallTimeMs - unixMs} ms");
        }

        [Fact]
        public void Unset_modem_clock_is_not_taken_as_network_time()
        {
            using var rig = new Sim7080Rig(seed: 15, faults: m => m.Coverage = false, tune: s => s.AttachTimeoutMs = 10000);
            Assert.False(rig.Transport.EnsureReady());
            Assert.False(rig.Driver.TryReadNetworkTime(out _));
        }

        [Fact]
        public void No_SIM_is_reported_as_NoSim_within_seconds()
        {
            using var rig = new Sim7080Rig(seed: 16, faults: m => m.SimInserted = false);
            long start = rig.Clock.UptimeMs;
            Assert.False(rig.Transport.EnsureReady());
            Assert.Equal(Sim7080Status.NoSim, rig.Transport.LastStatus);
            Assert.Equal(10, rig.Driver.LastCmeError);
            Assert.InRange(rig.Clock.UptimeMs - start, 0, 10_000);
            Assert.Equal(UplinkStatus.Unavailable, rig.Transport.Send(new byte[] { 1 }, 0, 1, PayloadClass.Alarm).Status);
        }

        [Fact]
        public void No_coverage_ends_at_the_attach_deadline_and_backs_off_before_trying_again()
        {
            using var rig = new Sim7080Rig(seed: 17, faults: m => m.Coverage = false);
            long start = rig.Clock.UptimeMs;
            Assert.False(rig.Transport.EnsureReady());
            long took = rig.Clock.UptimeMs - start;
            Assert.Equal(Sim7080Status.NoCoverage, rig.Transport.LastStatus);
            Assert.InRange(took, rig.Settings.AttachTimeoutMs, rig.Settings.AttachTimeoutMs + 30_000);

            // Within the backoff the transport does not spend battery on another attach.
            long again = rig.Clock.UptimeMs;
            Assert.False(rig.Transport.EnsureReady());
            Assert.Equal(again, rig.Clock.UptimeMs);

            // Coverage comes back; after the backoff the next attempt connects.
            rig.Modem.Coverage = true;
            rig.Clock.Advance(Sim7080Transport.FirstRetryMs);
            Assert.True(rig.Transport.EnsureReady(), "after coverage returned: " + rig.Transport.LastStatus);
            _out.WriteLine($"no coverage: NoCoverage after {took} ms (virtual; deadline {rig.Settings.AttachTimeoutMs} ms)");
        }

        [Fact]
        public void Slow_registration_within_the_deadline_still_connects()
        {
            using var rig = new Sim7080Rig(seed: 18, faults: m => m.RegistrationDelayMs = 95_000);
            long start = rig.Clock.UptimeMs;
            Assert.True(rig.Transport.EnsureReady(), "slow registration: " + rig.Transport.LastStatus);
            Assert.InRange(rig.Clock.UptimeMs - start, 95_000, 120_000);
        }

        [Fact]
        public void Denied_registration_is_reported_at_once()
        {
            using var rig = new Sim7080Rig(seed: 19, faults: m => m.RegistrationDenied = true);
            long start = rig.Clock.UptimeMs;
            Assert.False(rig.Transport.EnsureReady());
            Assert.Equal(Sim7080Status.RegistrationDenied, rig.Transport.LastStatus);
            Assert.InRange(rig.Clock.UptimeMs - start, 0, 15_000);
        }

        [Fact]
        public void CME_errors_on_PDP_activation_and_MQTT_connect_give_clear_statuses_and_a_later_retry_succeeds()
        {
            using var rig = new Sim7080Rig(seed: 20, faults: m => m.Fail("AT+CNACT=0,1", 30, times: 1));
            Assert.False(rig.Transport.EnsureReady());
            Assert.Equal(Sim7080Status.NoDataConnection, rig.Transport.LastStatus);
            Assert.Equal(30, rig.Driver.LastCmeError);

            rig.Modem.Fail("AT+SMCONN", 3, times: 1);
            rig.Transport.RetryNow();
            Assert.False(rig.Transport.EnsureReady());
            Assert.Equal(Sim7080Status.BrokerUnreachable, rig.Transport.LastStatus);

            rig.Transport.RetryNow();
            Assert.True(rig.Transport.EnsureReady(), "third attempt: " + rig.Transport.LastStatus);
        }

        [Fact]
        public void Wrong_broker_password_is_BrokerUnreachable()
        {
            using var rig = new Sim7080Rig(seed: 21, tune: s => s.MqttPassword = "wrong");
            Assert.False(rig.Transport.EnsureReady());
            Assert.Equal(Sim7080Status.BrokerUnreachable, rig.Transport.LastStatus);
        }

        [Fact]
        public void Garbage_and_partial_lines_are_classified_and_publishing_goes_on()
        {
            using var rig = new Sim7080Rig(seed: 22, faults: m =>
            {
                m.GarbageProbability = 0.3;
                m.PartialLineProbability = 0.1;
            });
            var received = new ConcurrentQueue<byte[]>();
            using var cloud = rig.Cloud(received);
            cloud.WaitUpSubscribed(received);
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            var random = new Random(3);
            int sent = 0;
            for (int i = 0; i < 20; i++)
            {
                var p = Payload(random, 100 + i);
                var r = rig.Transport.Send(p, 0, p.Length, PayloadClass.Newest);
                if (r.Status != UplinkStatus.Sent)
                {
                    Assert.True(rig.Transport.EnsureReady(), "recovery: " + rig.Transport.LastStatus);
                    r = rig.Transport.Send(p, 0, p.Length, PayloadClass.Newest);
                }

                Assert.Equal(UplinkStatus.Sent, r.Status);
                sent++;
            }

            Assert.True(Sim7080Rig.WaitReal(() => received.Count >= sent));
            Assert.True(rig.Driver.Parser.MalformedTotal > 0);
            _out.WriteLine($"garbage: {rig.Driver.Parser.MalformedTotal} malformed of {rig.Driver.Parser.LinesParsed} lines, {sent} batches delivered");
        }

        [Fact]
        public void A_dropped_MQTT_connection_makes_sends_unavailable_until_EnsureReady_reconnects()
        {
            using var rig = new Sim7080Rig(seed: 23);
            var received = new ConcurrentQueue<byte[]>();
            using var cloud = rig.Cloud(received);
            cloud.WaitUpSubscribed(received);
            Assert.True(rig.Transport.EnsureReady());
            rig.Modem.DropMqtt();
            rig.Transport.PollDownlink(new byte[64], 0, 64, out _); // reads the +SMSTATE: 0 URC
            Assert.False(rig.Transport.IsAvailable);
            Assert.Equal(UplinkStatus.Unavailable, rig.Transport.Send(new byte[] { 1, 2 }, 0, 2, PayloadClass.Alarm).Status);
            Assert.True(rig.Transport.EnsureReady(), "reconnect: " + rig.Transport.LastStatus);
            Assert.Equal(1, rig.Driver.SessionsLost);
            Assert.Equal(UplinkStatus.Sent, rig.Transport.Send(new byte[] { 1, 2 }, 0, 2, PayloadClass.Alarm).Status);
            Assert.True(Sim7080Rig.WaitReal(() => received.Count >= 1));
        }

        [Fact]
        public void A_session_lost_unnoticed_is_found_by_the_refused_publish()
        {
            using var rig = new Sim7080Rig(seed: 24);
            Assert.True(rig.Transport.EnsureReady());
            rig.Modem.DropMqtt();
            // The URC is not read before the send: AT+SMPUB is refused, AT+SMSTATE? says 0.
            var r = rig.Transport.Send(new byte[] { 9 }, 0, 1, PayloadClass.Newest);
            Assert.Equal(UplinkStatus.Unavailable, r.Status);
            Assert.Equal(Sim7080Status.NotConnected, rig.Transport.LastStatus);
            Assert.True(rig.Transport.EnsureReady());
        }

        [Fact]
        public void A_hung_modem_fails_the_send_within_its_deadline_and_is_power_cycled_through_PWRKEY()
        {
            using var rig = new Sim7080Rig(seed: 25);
            var received = new ConcurrentQueue<byte[]>();
            using var cloud = rig.Cloud(received);
            cloud.WaitUpSubscribed(received);
            Assert.True(rig.Transport.EnsureReady());
            rig.Modem.Hang();
            long start = rig.Clock.UptimeMs;
            var r = rig.Transport.Send(new byte[] { 7, 0, 7 }, 0, 3, PayloadClass.Alarm);
            long failedAfter = rig.Clock.UptimeMs - start;
            Assert.Equal(UplinkStatus.Failed, r.Status);
            Assert.Equal(Sim7080Status.Timeout, rig.Transport.LastStatus);
            Assert.InRange(failedAfter, rig.Settings.PromptTimeoutMs, rig.Settings.PromptTimeoutMs + 1000);
            Assert.False(rig.Transport.IsAvailable);

            start = rig.Clock.UptimeMs;
            Assert.True(rig.Transport.EnsureReady(), "after power cycle: " + rig.Transport.LastStatus);
            long recoveredAfter = rig.Clock.UptimeMs - start;
            Assert.Equal(1, rig.Driver.PowerCycles);
            Assert.Equal(2, rig.PowerKey.Presses);
            Assert.Equal(UplinkStatus.Sent, rig.Transport.Send(new byte[] { 7, 0, 7 }, 0, 3, PayloadClass.Alarm).Status);
            Assert.True(Sim7080Rig.WaitReal(() => received.Count >= 1));
            _out.WriteLine($"hang: send failed after {failedAfter} ms, recovered by PWRKEY cycle in {recoveredAfter} ms (virtual)");
        }

        [Fact]
        public void A_modem_that_stays_dead_is_reported_Dead_and_one_without_PWRKEY_too()
        {
            using var rig = new Sim7080Rig(seed: 26);
            rig.Modem.Hang();
            rig.Modem.SimInserted = true;
            // Every power-on press boots it hung again: simulate a dead modem by hanging it right after each press.
            var key = new DeadKey(rig);
            var driver = new Sim7080(rig.Line, rig.Clock, rig.Settings, key);
            Assert.Equal(Sim7080Status.Dead, driver.Connect());
            var noKey = new Sim7080(rig.Line, rig.Clock, rig.Settings, null);
            long start = rig.Clock.UptimeMs;
            Assert.Equal(Sim7080Status.Dead, noKey.Connect());
            Assert.InRange(rig.Clock.UptimeMs - start, 0, Sim7080.SyncAttempts * Sim7080.SyncTimeoutMs + 100);
        }

        private sealed class DeadKey : IModemPowerKey
        {
            private readonly Sim7080Rig _rig;

            public DeadKey(Sim7080Rig rig) => _rig = rig;

            public void Press(int holdMs)
            {
                _rig.Clock.Advance(holdMs);
            }
        }

        [Fact]
        public void Clean_power_down_then_the_next_bring_up_powers_the_modem_on()
        {
            using var rig = new Sim7080Rig(seed: 27);
            Assert.True(rig.Transport.EnsureReady());
            Assert.Equal(Sim7080Status.Ok, rig.Driver.PowerDown());
            Assert.True(rig.Driver.IsPoweredDown);
            Assert.False(rig.Modem.PoweredOn);
            Assert.Contains("AT+SMDISC", rig.Modem.Commands);
            Assert.True(rig.Transport.EnsureReady(), "power on: " + rig.Transport.LastStatus);
            Assert.True(rig.Modem.PoweredOn);
            Assert.Equal(1, rig.PowerKey.Presses);
        }

        [Fact]
        public void After_a_host_reboot_a_registered_modem_is_adopted_without_a_new_attach()
        {
            using var rig = new Sim7080Rig(seed: 28);
            Assert.True(rig.Transport.EnsureReady());
            int radioOffBefore = rig.Modem.Commands.Count(c => c == "AT+CFUN=0");
            Assert.Equal(1, radioOffBefore);

            // The ESP32 wakes from deep sleep with empty RAM; the modem stayed on, registered, its session open.
            var driver = new Sim7080(rig.Line, rig.Clock, rig.Settings, rig.PowerKey);
            var transport = new Sim7080Transport(driver, rig.Clock);
            long start = rig.Clock.UptimeMs;
            Assert.True(transport.EnsureReady(), "adopt: " + transport.LastStatus);
            Assert.Equal(1, rig.Modem.Commands.Count(c => c == "AT+CFUN=0"));
            Assert.Contains("AT+SMDISC", rig.Modem.Commands); // the session is reopened with known settings
            Assert.True(driver.HexDownlinks);
            Assert.InRange(rig.Clock.UptimeMs - start, 0, 5_000);
            Assert.Equal(UplinkStatus.Sent, transport.Send(new byte[] { 1, 0, 1 }, 0, 3, PayloadClass.Newest).Status);

            // A new APN is applied on request: the radio is configured again.
            driver.Reconfigure();
            Assert.True(transport.EnsureReady(), "reconfigure: " + transport.LastStatus);
            Assert.Equal(2, rig.Modem.Commands.Count(c => c == "AT+CFUN=0"));
        }

        [Fact]
        public void The_bring_up_backoff_survives_a_deep_sleep_so_no_coverage_costs_one_attach_per_backoff()
        {
            using var rig = new Sim7080Rig(seed: 29, faults: m => m.Coverage = false);
            Assert.False(rig.Transport.EnsureReady());
            var state = new byte[Sim7080Transport.BackoffStateSize];
            Assert.Equal(Sim7080Transport.BackoffStateSize, rig.Transport.SaveBackoff(state, 0));

            // Deep sleep: RAM is lost, uptime restarts, wall time runs on (10 s of sleep).
            rig.Clock.Reboot(keepWallTime: true);
            rig.Clock.Advance(10_000);
            var transport = new Sim7080Transport(new Sim7080(rig.Line, rig.Clock, rig.Settings, rig.PowerKey), rig.Clock);
            Assert.True(transport.RestoreBackoff(state, 0, state.Length));
            int commands = rig.Modem.Commands.Count;
            Assert.False(transport.EnsureReady());
            Assert.Equal(commands, rig.Modem.Commands.Count); // not even a handshake
            Assert.InRange(transport.NextAttemptUptimeMs, Sim7080Transport.FirstRetryMs - 10_000 - 1, Sim7080Transport.FirstRetryMs);

            rig.Clock.Advance(Sim7080Transport.FirstRetryMs);
            rig.Modem.Coverage = true;
            Assert.True(transport.EnsureReady(), "after the backoff: " + transport.LastStatus);

            Assert.False(transport.RestoreBackoff(state, 0, 11));
            BitConverter.GetBytes(1000u).CopyTo(state, 8); // a wait below the first retry is not a state this transport writes
            Assert.False(transport.RestoreBackoff(state, 0, state.Length));
        }

        [Fact]
        public void An_unknown_clock_is_set_from_the_network_time_and_a_known_one_is_left_alone()
        {
            using var rig = new Sim7080Rig(seed: 30);
            rig.Clock.SetWallTime(rig.Clock.WallTimeMs, Gateway.Core.Time.ClockQuality.Unknown);
            var setter = new ClockSetter(rig.Clock);
            rig.Transport.ClockSetter = setter;
            Assert.True(rig.Transport.EnsureReady());
            Assert.Equal(1, rig.Transport.ClockSets);
            Assert.Equal(Gateway.Core.Time.ClockQuality.Network, rig.Clock.Quality);
            Assert.InRange(setter.Error, -1000, 0); // AT+CCLK has whole seconds

            rig.Modem.DropMqtt();
            rig.Transport.PollDownlink(new byte[8], 0, 8, out _);
            Assert.True(rig.Transport.EnsureReady());
            Assert.Equal(1, rig.Transport.ClockSets); // known now: not set again
            _out.WriteLine($"clock set from AT+CCLK: quality {rig.Clock.Quality}, error {setter.Error} ms");
        }

        private sealed class ClockSetter : Gateway.Core.Time.IWallClockSetter
        {
            private readonly Gateway.Virtual.Time.VirtualClock _clock;

            public ClockSetter(Gateway.Virtual.Time.VirtualClock clock) => _clock = clock;

            public long Error { get; private set; }

            public void SetWallTime(long wallTimeMs, Gateway.Core.Time.ClockQuality quality)
            {
                Error = wallTimeMs - _clock.WallTimeMs;
                _clock.SetWallTime(wallTimeMs, quality);
            }
        }

        [Fact]
        public void Downlinks_published_while_the_gateway_sleeps_wait_at_the_broker_and_arrive_after_the_wake()
        {
            using var rig = new Sim7080Rig(seed: 32);
            var received = new ConcurrentQueue<byte[]>();
            using var cloud = rig.Cloud(received);
            Assert.True(rig.Transport.EnsureReady());
            rig.WaitDownSubscribed(cloud);

            rig.Transport.Suspend(NodeSettings.DeepSleepThresholdMs); // a short sleep: the modem stays registered
            Assert.False(rig.Transport.IsAvailable);
            Assert.True(Sim7080Rig.WaitReal(() => !rig.Modem.MqttConnected));
            var ack = new byte[] { 0x41, 0x00, 0xFE, 0x0A };
            Assert.True(cloud.Publish("gw/7/ack", ack, 1, false, Sim7080Rig.RealWait));

            // Deep sleep and wake: a new driver on the same (still registered) modem.
            rig.Clock.Reboot(keepWallTime: true);
            var transport = new Sim7080Transport(new Sim7080(rig.Line, rig.Clock, rig.Settings, rig.PowerKey), rig.Clock);
            Assert.True(transport.EnsureReady(), "wake: " + transport.LastStatus);
            var buffer = new byte[64];
            byte[]? got = null;
            Assert.True(Sim7080Rig.WaitReal(() =>
            {
                int n;
                while ((n = transport.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
                {
                    var d = buffer.AsSpan(0, n).ToArray();
                    if (!d.AsSpan().SequenceEqual(ProbeBytes))
                    {
                        Assert.Equal(MqttTopics.AckChannel, channel);
                        got = d;
                    }
                }

                return got != null;
            }));
            Assert.Equal(ack, got);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_modem_that_is_off_is_switched_on_with_one_press_whether_or_not_it_announces_RDY(bool announces)
        {
            using var rig = new Sim7080Rig(seed: 33, faults: m => m.AnnounceReady = announces);
            rig.PowerKey.Press(Sim7080.PowerOffHoldMs); // a technician switched it off
            Assert.False(rig.Modem.PoweredOn);
            int presses = rig.PowerKey.Presses;
            Assert.True(rig.Transport.EnsureReady(), "power on: " + rig.Transport.LastStatus);
            Assert.True(rig.Modem.PoweredOn);
            Assert.Equal(presses + 1, rig.PowerKey.Presses);
            Assert.Equal(1, rig.Driver.PowerCycles);
        }
    }
}
