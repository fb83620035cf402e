using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Gateway.Bindings.Rak3172;
using Gateway.Core.Uplink;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Uplink
{
    public sealed class AtResponseParserTests
    {
        private readonly ITestOutputHelper _out;

        public AtResponseParserTests(ITestOutputHelper output) => _out = output;

        private static (AtLineKind kind, AtResponse r, AtResponseParser p) Parse(string line)
        {
            var p = new AtResponseParser();
            var r = new AtResponse();
            var bytes = Encoding.ASCII.GetBytes(line);
            return (p.Parse(bytes, 0, bytes.Length, r), r, p);
        }

        [Theory]
        [InlineData("OK", AtLineKind.Ok)]
        [InlineData("", AtLineKind.Empty)]
        [InlineData("AT_PARAM_ERROR", AtLineKind.Error)]
        [InlineData("Current Work Mode: LoRaWAN.", AtLineKind.Text)]
        [InlineData("+EVT:JOINED", AtLineKind.Event)]
        [InlineData("AT+NJS=1", AtLineKind.Value)]
        public void Recognises_the_line_forms(string line, AtLineKind kind) => Assert.Equal(kind, Parse(line).kind);

        [Theory]
        [InlineData("AT_ERROR", AtError.Generic)]
        [InlineData("AT_BUSY_ERROR", AtError.Busy)]
        [InlineData("AT_NO_NETWORK_JOINED", AtError.NotJoined)]
        [InlineData("AT_TEST_PARAM_OVERFLOW", AtError.ParamOverflow)]
        [InlineData("AT_COMMAND_NOT_FOUND", AtError.CommandNotFound)]
        [InlineData("AT_SOMETHING_NEW_ERROR", AtError.Unknown)]
        public void Classifies_rui3_status_codes(string line, AtError error) => Assert.Equal(error, Parse(line).r.Error);

        [Theory]
        [InlineData("+EVT:JOIN_FAILED_RX_TIMEOUT", AtEvent.JoinFailed)]
        [InlineData("+EVT:JOIN FAILED", AtEvent.JoinFailed)]
        [InlineData("+EVT:TX_DONE", AtEvent.TxDone)]
        [InlineData("+EVT:SEND_CONFIRMED_OK", AtEvent.SendConfirmedOk)]
        [InlineData("+EVT: SEND CONFIRMED OK", AtEvent.SendConfirmedOk)]
        [InlineData("+EVT:SEND_CONFIRMED_FAILED(4)", AtEvent.SendConfirmedFailed)]
        [InlineData("+EVT:TIMEREQ_OK", AtEvent.TimeRequestOk)]
        [InlineData("+EVT:BC_LOCKED", AtEvent.Other)]
        public void Classifies_events(string line, AtEvent evt) => Assert.Equal(evt, Parse(line).r.Event);

        [Fact]
        public void Downlink_event_yields_rssi_snr_port_and_payload()
        {
            var (kind, r, _) = Parse("+EVT:RX_1:-70:8:UNICAST:2:1234");
            Assert.Equal(AtLineKind.Event, kind);
            Assert.Equal(AtEvent.Downlink, r.Event);
            Assert.Equal((1, -70, 8, 2, false), (r.Window, r.Rssi, r.Snr, r.Port, r.Multicast));
            Assert.Equal(new byte[] { 0x12, 0x34 }, r.Payload.AsSpan(0, r.PayloadLength).ToArray());
            var (_, m, _) = Parse("+EVT:RX_C:-34:8:MULTICAST:130:030001");
            Assert.True(m.Multicast);
            Assert.Equal((int)'C', m.Window);
        }

        [Theory]
        [InlineData("+EVT:LINKCHECK:0:21:1:-60:11")]
        [InlineData("+EVT:LINKCHECK:0,21,1,-60,11")]
        public void Link_check_parses_both_rui3_separators(string line)
        {
            var (_, r, _) = Parse(line);
            Assert.Equal(AtEvent.LinkCheck, r.Event);
            Assert.Equal((0, 21, 1, -60, 11), (r.LinkResult, r.LinkMargin, r.LinkGateways, r.Rssi, r.Snr));
        }

        [Fact]
        public void Query_value_keeps_name_number_and_hex()
        {
            var bytes = Encoding.ASCII.GetBytes("AT+DEVEUI=70B3D57ED0061A2B");
            var p = new AtResponseParser();
            var r = new AtResponse();
            Assert.Equal(AtLineKind.Value, p.Parse(bytes, 0, bytes.Length, r));
            Assert.Equal("DEVEUI", Encoding.ASCII.GetString(bytes, r.NameStart, r.NameLength));
            Assert.Equal(8, r.PayloadLength);
            var (_, n, _) = Parse("AT+DR=3");
            Assert.True(n.HasNumber);
            Assert.Equal(3, n.Number);
        }

        [Theory]
        [InlineData("+EVT:", AtMalformedReason.EmptyEvent)]
        [InlineData("+EVT:RX_1:-70:8:UNICAST:2:123", AtMalformedReason.OddHex)]
        [InlineData("+EVT:RX_1:-70:8:UNICAST:2:12G4", AtMalformedReason.BadHexDigit)]
        [InlineData("+EVT:RX_1:-70:8:UNICAST", AtMalformedReason.MissingField)]
        [InlineData("+EVT:RX_1:-70:8:UNICAST:2:12:34", AtMalformedReason.ExtraField)]
        [InlineData("+EVT:RX_1:-7x0:8:UNICAST:2:12", AtMalformedReason.BadNumber)]
        [InlineData("+EVT:RX_1:-70:8:UNICAST:999:12", AtMalformedReason.BadNumber)]
        [InlineData("+EVT:RX_1:-70:8:BROADCAST:2:12", AtMalformedReason.BadDownlinkKind)]
        [InlineData("+EVT:RX_9:-70:8:UNICAST:2:12", AtMalformedReason.BadDownlinkKind)]
        [InlineData("+EVT:LINKCHECK:0:21:1", AtMalformedReason.MissingField)]
        [InlineData("+EVT:SEND_CONFIRMED_FAILED(x)", AtMalformedReason.BadStatusCode)]
        [InlineData("AT+=1", AtMalformedReason.BadValue)]
        [InlineData("AT+NJS", AtMalformedReason.BadValue)]
        [InlineData("OK\u0007", AtMalformedReason.NonPrintable)]
        public void Malformed_lines_are_rejected_with_a_counted_reason(string line, AtMalformedReason reason)
        {
            var (kind, r, p) = Parse(line);
            Assert.Equal(AtLineKind.Malformed, kind);
            Assert.Equal(reason, r.Malformed);
            Assert.Equal(1, p.MalformedCount(reason));
            Assert.Equal(1, p.MalformedTotal);
        }

        [Fact]
        public void Oversized_downlink_payload_is_rejected()
        {
            var (kind, r, _) = Parse("+EVT:RX_1:-70:8:UNICAST:2:" + new string('A', 2 * (AtResponse.MaxPayload + 1)));
            Assert.Equal(AtLineKind.Malformed, kind);
            Assert.Equal(AtMalformedReason.PayloadTooLong, r.Malformed);
        }

        [Fact]
        public void Parsing_allocates_nothing()
        {
            var p = new AtResponseParser();
            var r = new AtResponse();
            var lines = new[] { "+EVT:RX_1:-70:8:UNICAST:2:1234", "OK", "AT+NJS=1", "+EVT:LINKCHECK:0,21,1,-60,11", "+EVT:RX_1:x", "AT_BUSY_ERROR" };
            var bytes = Array.ConvertAll(lines, Encoding.ASCII.GetBytes);
            foreach (var b in bytes)
            {
                p.Parse(b, 0, b.Length, r);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 60_000; i++)
            {
                var b = bytes[i % bytes.Length];
                p.Parse(b, 0, b.Length, r);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        [Fact]
        public void Fuzz_100k_mutated_lines_never_crash_hang_or_go_uncounted()
        {
            string[] seeds =
            {
                "+EVT:RX_1:-70:8:UNICAST:2:1234", "+EVT:LINKCHECK:0:21:1:-60:11", "+EVT:SEND_CONFIRMED_FAILED(4)", "AT+DEVEUI=70B3D57ED0061A2B",
                "+EVT:JOINED", "AT_BUSY_ERROR", "OK", "+EVT:RX_2:-120:-15:MULTICAST:223:" + new string('f', 484), "AT+NJS=1",
            };
            var rng = new SeededRandom(0xF022);
            var parser = new AtResponseParser();
            var r = new AtResponse();
            var buf = new byte[700];
            var kinds = new Dictionary<AtLineKind, int>();
            int malformed = 0;
            const int N = 100_000;
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < N; i++)
            {
                int len = Mutate(seeds[(int)(rng.NextUInt32() % (uint)seeds.Length)], buf, rng);
                var kind = parser.Parse(buf, 0, len, r);
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                if (kind == AtLineKind.Malformed)
                {
                    malformed++;
                    Assert.NotEqual(AtMalformedReason.None, r.Malformed);
                }

                if (kind == AtLineKind.Event && r.Event == AtEvent.Downlink)
                {
                    Assert.InRange(r.PayloadLength, 0, AtResponse.MaxPayload);
                    Assert.InRange(r.Port, 0, 255);
                }
            }

            sw.Stop();
            Assert.Equal(N, parser.ParsedCount);
            Assert.Equal(malformed, parser.MalformedTotal);
            Assert.True(malformed > N / 4, $"the mutations should break most lines, broke {malformed}");
            var reasons = new StringBuilder();
            foreach (AtMalformedReason reason in Enum.GetValues<AtMalformedReason>())
            {
                if (reason != AtMalformedReason.None)
                {
                    reasons.Append($" {reason}={parser.MalformedCount(reason)}");
                }
            }

            _out.WriteLine($"fuzz: {N} lines in {sw.ElapsedMilliseconds} ms, malformed {malformed}:{reasons}");
            _out.WriteLine("kinds: " + string.Join(", ", kinds));
        }

        [Fact]
        public void Fuzz_100k_lines_malformed_by_construction_are_each_rejected_with_the_right_counted_reason()
        {
            var rng = new SeededRandom(0xBAD5EED);
            var parser = new AtResponseParser();
            var r = new AtResponse();
            var buf = new byte[1200];
            var expectedCounts = new int[16];
            const int N = 120_000;
            for (int i = 0; i < N; i++)
            {
                var (line, reason) = Malformed(rng);
                int len = Encoding.ASCII.GetBytes(line, 0, line.Length, buf, 0);
                if (reason == AtMalformedReason.NonPrintable)
                {
                    // A control or non-ASCII byte somewhere inside (CR is trimmed at the ends, so never CR).
                    int pos = (int)(rng.NextUInt32() % (uint)len);
                    byte b = (byte)(rng.NextUInt32() % 2 == 0 ? rng.NextUInt32() % 0x20 : 0x7F + (rng.NextUInt32() % 0x81));
                    buf[pos] = b == 0x0D ? (byte)0x0A : b;
                }

                var kind = parser.Parse(buf, 0, len, r);
                if (kind != AtLineKind.Malformed || r.Malformed != reason)
                {
                    Assert.Fail($"line {i} \"{Encoding.Latin1.GetString(buf, 0, Math.Min(len, 80))}\": expected {reason}, got {kind}/{r.Malformed}");
                }

                expectedCounts[(int)reason]++;
            }

            Assert.Equal(N, parser.MalformedTotal);
            var line2 = new StringBuilder();
            foreach (AtMalformedReason reason in Enum.GetValues<AtMalformedReason>())
            {
                Assert.Equal(expectedCounts[(int)reason], parser.MalformedCount(reason));
                if (reason != AtMalformedReason.None && reason != AtMalformedReason.TooLong)
                {
                    Assert.True(expectedCounts[(int)reason] > 1000, $"{reason} under-exercised");
                    line2.Append($" {reason}={parser.MalformedCount(reason)}");
                }
            }

            _out.WriteLine($"fuzz (malformed by construction): {N} lines, all rejected:{line2}");
        }

        private static (string line, AtMalformedReason reason) Malformed(SeededRandom rng)
        {
            uint U(uint n) => rng.NextUInt32() % n;
            string Hex(int bytes)
            {
                var sb = new StringBuilder(bytes * 2);
                for (int k = 0; k < bytes; k++)
                {
                    sb.Append(((byte)rng.NextUInt32()).ToString(U(2) == 0 ? "X2" : "x2", System.Globalization.CultureInfo.InvariantCulture));
                }

                return sb.ToString();
            }

            string rssi = (-(int)U(151)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string snr = ((int)U(36) - 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string port = (1 + U(223)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string win = "12BC"[(int)U(4)].ToString();
            string cast = U(2) == 0 ? "UNICAST" : "MULTICAST";
            string head = $"+EVT:RX_{win}:";
            const string notHex = "GHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz!#$%&*?=_.;";
            switch (U(11))
            {
                case 0:
                    return (U(2) == 0 ? $"{head}{rssi}:{snr}:{cast}:{port}:{Hex((int)U(100))}" : "AT+DEVEUI=" + Hex(8), AtMalformedReason.NonPrintable);
                case 1:
                    return ($"{head}{rssi}:{snr}:{cast}:{port}:{Hex((int)U(240))}{"0123456789abcdef"[(int)U(16)]}", AtMalformedReason.OddHex);
                case 2:
                {
                    var h = Hex(1 + (int)U(240)).ToCharArray();
                    h[U((uint)h.Length)] = notHex[(int)U((uint)notHex.Length)];
                    return ($"{head}{rssi}:{snr}:{cast}:{port}:{new string(h)}", AtMalformedReason.BadHexDigit);
                }

                case 3:
                    return (U(4) switch
                    {
                        0 => $"{head}{rssi}x:{snr}:{cast}:{port}:{Hex(2)}",
                        1 => $"{head}{rssi}:{snr}:{cast}:{256 + U(100000)}:{Hex(2)}",
                        2 => $"{head}-{200 + 1 + U(1000)}:{snr}:{cast}:{port}:",
                        _ => $"+EVT:LINKCHECK:0:{U(100)}:{U(10)}:{rssi}:{12345678901L + U(1000)}",
                    }, AtMalformedReason.BadNumber);
                case 4:
                    return (U(2) == 0
                        ? $"{head}{string.Join(":", new[] { rssi, snr, cast }.Take(1 + (int)U(3)))}"
                        : $"+EVT:LINKCHECK:{string.Join(U(2) == 0 ? ":" : ",", Enumerable.Range(0, 1 + (int)U(4)).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)))}",
                        AtMalformedReason.MissingField);
                case 5:
                    return (U(2) == 0
                        ? $"{head}{rssi}:{snr}:{cast}:{port}:{Hex(2)}{string.Concat(Enumerable.Repeat(":" + Hex(1), 1 + (int)U(5)))}"
                        : $"+EVT:LINKCHECK:0:1:2:-3:4{string.Concat(Enumerable.Repeat(",9", 1 + (int)U(5)))}",
                        AtMalformedReason.ExtraField);
                case 6:
                {
                    string badCast = new string(Enumerable.Range(0, 1 + (int)U(9)).Select(_ => (char)('A' + U(26))).ToArray());
                    if (badCast is "UNICAST" or "MULTICAST")
                    {
                        badCast = "BROADCAST";
                    }

                    return (U(2) == 0 ? $"{head}{rssi}:{snr}:{badCast}:{port}:{Hex(3)}" : $"+EVT:RX_{"03456789AXZ"[(int)U(11)]}:{rssi}:{snr}:{cast}:{port}:{Hex(3)}",
                        AtMalformedReason.BadDownlinkKind);
                }

                case 7:
                    return (U(3) switch
                    {
                        0 => "AT+" + new string(Enumerable.Range(0, 1 + (int)U(8)).Select(_ => (char)('A' + U(26))).ToArray()),
                        1 => "AT+=" + U(100),
                        _ => "AT+N" + "!.#$%&*/?"[(int)U(9)] + "S=" + U(2),
                    }, AtMalformedReason.BadValue);
                case 8:
                    return (U(3) switch
                    {
                        0 => "+EVT:SEND_CONFIRMED_FAILED(" + notHex[(int)U((uint)notHex.Length)] + ")",
                        1 => "+EVT:SEND_CONFIRMED_FAILED(" + U(10),
                        _ => "+EVT:SEND_CONFIRMED_FAILED(" + (256 + U(1000)) + ")",
                    }, AtMalformedReason.BadStatusCode);
                case 9:
                    return ("+EVT:" + new string(' ', (int)U(5)), AtMalformedReason.EmptyEvent);
                default:
                    return ($"{head}{rssi}:{snr}:{cast}:{port}:{Hex(AtResponse.MaxPayload + 1 + (int)U(40))}", AtMalformedReason.PayloadTooLong);
            }
        }

        /// <summary>One to four random edits of a valid line: flip, insert, delete, truncate, splice separators, noise.</summary>
        private static int Mutate(string seed, byte[] buf, SeededRandom rng)
        {
            int len = Encoding.ASCII.GetBytes(seed, 0, seed.Length, buf, 0);
            int edits = 1 + (int)(rng.NextUInt32() % 4);
            byte[] specials = { (byte)':', (byte)',', (byte)'-', (byte)'(', (byte)')', (byte)'=', (byte)' ', (byte)'+', 0, 0xFF, (byte)'\r', (byte)'9', (byte)'G' };
            for (int e = 0; e < edits; e++)
            {
                int pos = len == 0 ? 0 : (int)(rng.NextUInt32() % (uint)len);
                switch (rng.NextUInt32() % 6)
                {
                    case 0 when len > 0:
                        buf[pos] = (byte)rng.NextUInt32();
                        break;
                    case 1 when len < buf.Length - 1:
                        Array.Copy(buf, pos, buf, pos + 1, len - pos);
                        buf[pos] = specials[rng.NextUInt32() % (uint)specials.Length];
                        len++;
                        break;
                    case 2 when len > 0:
                        Array.Copy(buf, pos + 1, buf, pos, len - pos - 1);
                        len--;
                        break;
                    case 3:
                        len = pos;
                        break;
                    case 4 when len > 0:
                        buf[pos] = specials[rng.NextUInt32() % (uint)specials.Length];
                        break;
                    default:
                        int n = (int)(rng.NextUInt32() % 8);
                        for (int k = 0; k < n && len < buf.Length; k++)
                        {
                            buf[len++] = (byte)(0x20 + (rng.NextUInt32() % 95));
                        }

                        break;
                }
            }

            return len;
        }
    }
}
