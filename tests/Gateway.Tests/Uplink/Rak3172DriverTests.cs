using System;
using System.Linq;
using System.Text.Json;
using Gateway.Bindings.Rak3172;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Uplink
{
    public sealed class Rak3172DriverTests
    {
        [Fact]
        public void Initialize_sets_lorawan_as923_1_otaa_identity_on_a_factory_module()
        {
            var rig = new Rak3172Rig();
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Initialize());
            Assert.Contains("AT+NWM=1", rig.Line.Written);
            Assert.Contains("AT+BAND=8", rig.Line.Written);
            Assert.Contains("AT+DEVEUI=" + Rak3172Rig.DevEui, rig.Line.Written);
            Assert.Contains("AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C", rig.Line.Written);
            Assert.Contains("AT+ADR=0", rig.Line.Written);
            Assert.Equal(3, rig.Driver.DataRate);
            Assert.Equal(53, rig.Driver.MaxPayloadBytes);
            Assert.False(rig.Driver.IsJoined);
        }

        [Fact]
        public void Wake_from_deep_sleep_keeps_the_session_and_rewrites_nothing()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            Assert.Equal(Rak3172Status.Ok, rig.Driver.EnsureJoined());
            Assert.Equal(1, rig.Module.JoinRequests);
            int writes = rig.Module.FlashWrites;

            rig.Clock.Advance(600_000);
            rig.Clock.Reboot(keepWallTime: true);
            var woken = rig.NewDriver(2);
            Assert.Equal(Rak3172Status.Ok, woken.Initialize());
            Assert.True(woken.IsJoined);
            Assert.Equal(Rak3172Status.Ok, woken.EnsureJoined());
            Assert.Equal(1, rig.Module.JoinRequests);
            Assert.Equal(writes, rig.Module.FlashWrites);
            Assert.Equal(Rak3172Status.Ok, woken.Send(2, new byte[] { 1, 2, 3 }, 0, 3, confirmed: false));
        }

        [Fact]
        public void Join_retries_with_jitter_through_a_lossy_network()
        {
            var rig = new Rak3172Rig(seed: 5, loss: 0.6);
            rig.Settings.JoinAttempts = 20;
            rig.Driver.Initialize();
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Join());
            Assert.True(rig.Module.JoinRequests > 1, "a 60% lossy network should need more than one join request with this seed");
            Assert.Equal(rig.Module.JoinRequests, rig.Driver.JoinAttemptsMade);
            Assert.Equal(rig.Module.TotalAirtimeUs, rig.Budget.UsedTodayUs(rig.Clock.WallTimeMs));
        }

        [Fact]
        public void Join_gives_up_after_the_configured_attempts_when_out_of_range()
        {
            var rig = new Rak3172Rig();
            rig.Network.GatewaysInRange = 0;
            rig.Settings.JoinAttempts = 4;
            rig.Driver.Initialize();
            Assert.Equal(Rak3172Status.JoinFailed, rig.Driver.Join());
            Assert.Equal(4, rig.Module.JoinRequests);
        }

        [Fact]
        public void Unconfirmed_uplink_reaches_the_network_server_as_a_chirpstack_up_event()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            var payload = Enumerable.Range(0, 53).Select(i => (byte)(i * 7)).ToArray();
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Send(10, payload, 0, payload.Length, confirmed: false));
            Assert.DoesNotContain("AT+CFM=1", rig.Line.Written);
            var up = Assert.Single(rig.Network.UpEvents);
            using var doc = JsonDocument.Parse(up);
            var root = doc.RootElement;
            Assert.Equal(Rak3172Rig.DevEui.ToLowerInvariant(), root.GetProperty("deviceInfo").GetProperty("devEui").GetString());
            Assert.Equal(10, root.GetProperty("fPort").GetInt32());
            Assert.Equal(0, root.GetProperty("fCnt").GetInt32());
            Assert.Equal(payload, Convert.FromBase64String(root.GetProperty("data").GetString()!));
            var lora = root.GetProperty("txInfo").GetProperty("modulation").GetProperty("lora");
            Assert.Equal(9, lora.GetProperty("spreadingFactor").GetInt32());
            Assert.Equal(125000, lora.GetProperty("bandwidth").GetInt32());
            Assert.Equal("CR_4_5", lora.GetProperty("codeRate").GetString());
            Assert.Equal(2, root.GetProperty("rxInfo").GetArrayLength());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("deduplicationId").GetString()));
            Assert.Equal(As923.UplinkMicroseconds(3, 53), rig.Driver.LastAirtimeUs);
        }

        [Fact]
        public void Confirmed_uplink_is_acknowledged_and_brings_the_queued_downlink()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            rig.Network.EnqueueDownlink(Rak3172Rig.DevEui, 3, new byte[] { 0xAC, 0x00, 0x10 });
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Send(2, new byte[] { 9 }, 0, 1, confirmed: true));
            Assert.Contains("AT+CFM=1", rig.Line.Written);
            Assert.Equal(1, rig.Driver.DownlinkCount);
            var buf = new byte[16];
            Assert.True(rig.Driver.TryTakeDownlink(buf, 0, out int port, out int count));
            Assert.Equal(3, port);
            Assert.Equal(new byte[] { 0xAC, 0x00, 0x10 }, buf.Take(count).ToArray());
            Assert.False(rig.Driver.TryTakeDownlink(buf, 0, out _, out _));
        }

        [Fact]
        public void Confirmed_uplink_during_a_gateway_outage_is_not_acknowledged()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            rig.Network.AddOutage(rig.Clock.WallTimeMs, rig.Clock.WallTimeMs + 3_600_000);
            Assert.Equal(Rak3172Status.NotAcknowledged, rig.Driver.Send(2, new byte[] { 1 }, 0, 1, confirmed: true));
            Assert.Empty(rig.Network.UpEvents);
        }

        [Fact]
        public void Payload_over_the_data_rate_limit_is_refused_before_anything_is_sent()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            Assert.Equal(Rak3172Status.Ok, rig.Driver.SetDataRate(2));
            int before = rig.Line.Written.Count;
            Assert.Equal(Rak3172Status.PayloadTooLarge, rig.Driver.Send(2, new byte[12], 0, 12, confirmed: false));
            Assert.Equal(before, rig.Line.Written.Count);
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Send(2, new byte[11], 0, 11, confirmed: false));
            Assert.Equal(Rak3172Status.InvalidArgument, rig.Driver.SetDataRate(1));
        }

        [Fact]
        public void Link_check_answer_reports_margin_and_gateways()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            Assert.Equal(Rak3172Status.Ok, rig.Driver.RequestLinkCheck());
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Send(2, new byte[] { 1 }, 0, 1, confirmed: false));
            Assert.True(rig.Driver.HasLinkCheck);
            Assert.Equal(0, rig.Driver.LinkCheckResult);
            Assert.Equal(2, rig.Driver.LinkCheckGateways);
            Assert.InRange(rig.Driver.LastRssiDbm, -130, -30);
        }

        [Fact]
        public void Network_time_request_is_answered_on_the_next_uplink()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            Assert.Equal(Rak3172Status.Ok, rig.Driver.RequestNetworkTime());
            Assert.False(rig.Driver.NetworkTimeAnswered);
            rig.Driver.Send(2, new byte[] { 1 }, 0, 1, confirmed: false);
            Assert.True(rig.Driver.NetworkTimeAnswered);
        }

        [Fact]
        public void Silent_module_times_out_within_the_command_timeout()
        {
            var rig = new Rak3172Rig();
            rig.Module.Unresponsive = true;
            long start = rig.Clock.UptimeMs;
            Assert.Equal(Rak3172Status.Timeout, rig.Driver.Initialize());
            Assert.InRange(rig.Clock.UptimeMs - start, 3 * rig.Settings.CommandTimeoutMs, 3 * rig.Settings.CommandTimeoutMs + 10);
        }

        [Fact]
        public void Noise_on_the_line_is_counted_and_does_not_break_a_send()
        {
            var rig = new Rak3172Rig();
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            long t = rig.Clock.UptimeMs;
            rig.Line.EmitRaw(new byte[] { 0xFF, 0x00, 0x41, (byte)'\r', (byte)'\n' }, t + 100);
            rig.Line.Emit("+EVT:RX_1:-70:8:UNICAST:2:ABC", t + 200);
            rig.Line.Emit("+EVT:", t + 300);
            rig.Line.EmitRaw(System.Text.Encoding.ASCII.GetBytes(new string('9', 5000) + "\r\n"), t + 400);
            Assert.Equal(Rak3172Status.Ok, rig.Driver.Send(2, new byte[] { 1 }, 0, 1, confirmed: false));
            var p = rig.Driver.Parser;
            Assert.Equal(1, p.MalformedCount(AtMalformedReason.NonPrintable));
            Assert.Equal(1, p.MalformedCount(AtMalformedReason.OddHex));
            Assert.Equal(1, p.MalformedCount(AtMalformedReason.EmptyEvent));
            Assert.Equal(1, p.MalformedCount(AtMalformedReason.TooLong));
            Assert.Equal(4, p.MalformedTotal);
        }

        [Fact]
        public void Sending_flat_out_never_exceeds_400_ms_or_the_hourly_budget()
        {
            var rig = new Rak3172Rig(budget: new DwellTimeSettings { SafetyMarginPercent = 10 });
            rig.Driver.Initialize();
            rig.Driver.EnsureJoined();
            rig.Driver.SetDataRate(5);
            var payload = new byte[242];
            int refused = 0;
            long end = rig.Clock.WallTimeMs + 2 * 3_600_000;
            while (rig.Clock.WallTimeMs < end)
            {
                var s = rig.Driver.Send(2, payload, 0, payload.Length, confirmed: false);
                if (s == Rak3172Status.BudgetExhausted)
                {
                    refused++;
                    Assert.True(rig.Driver.LastRefusal.EarliestMs > rig.Clock.WallTimeMs);
                    rig.Clock.Advance(rig.Driver.LastRefusal.EarliestMs - rig.Clock.WallTimeMs);
                }
                else
                {
                    Assert.Equal(Rak3172Status.Ok, s);
                }
            }

            Assert.True(refused > 0, "two hours of flat-out 242 B frames must hit the hourly budget");
            Assert.True(rig.Module.LongestTransmissionUs <= 400_000);
            var tx = rig.Module.Transmissions;
            long worst = 0;
            for (int i = 0, j = 0; i < tx.Count; i++)
            {
                while (tx[j].wallMs <= tx[i].wallMs - 3_600_000)
                {
                    j++;
                }

                long sum = 0;
                for (int k = j; k <= i; k++)
                {
                    sum += tx[k].airtimeUs;
                }

                worst = Math.Max(worst, sum);
            }

            Assert.True(worst <= 324_000_000, $"rolling hour held {worst} us of transmission");
        }
    }
}
