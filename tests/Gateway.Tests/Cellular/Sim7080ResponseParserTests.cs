using System;
using System.Text;
using Gateway.Bindings.Sim7080;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Cellular
{
    public sealed class Sim7080ResponseParserTests
    {
        private readonly ITestOutputHelper _out;

        public Sim7080ResponseParserTests(ITestOutputHelper output) => _out = output;

        private static (Sim7080LineKind kind, Sim7080Response r, Sim7080ResponseParser p) Parse(string line)
        {
            var p = new Sim7080ResponseParser();
            var r = new Sim7080Response();
            var bytes = Encoding.Latin1.GetBytes(line);
            return (p.Parse(bytes, 0, bytes.Length, r), r, p);
        }

        [Theory]
        [InlineData("", Sim7080LineKind.Empty, Sim7080Info.None)]
        [InlineData("   ", Sim7080LineKind.Empty, Sim7080Info.None)]
        [InlineData("OK", Sim7080LineKind.Ok, Sim7080Info.None)]
        [InlineData("OK ", Sim7080LineKind.Ok, Sim7080Info.None)]
        [InlineData("ERROR", Sim7080LineKind.Error, Sim7080Info.None)]
        [InlineData(">", Sim7080LineKind.Prompt, Sim7080Info.None)]
        [InlineData("> ", Sim7080LineKind.Prompt, Sim7080Info.None)]
        [InlineData("RDY", Sim7080LineKind.Info, Sim7080Info.Ready)]
        [InlineData("NORMAL POWER DOWN", Sim7080LineKind.Info, Sim7080Info.PowerDown)]
        [InlineData("+CFUN: 1", Sim7080LineKind.Info, Sim7080Info.Cfun)]
        [InlineData("SMS Ready", Sim7080LineKind.Text, Sim7080Info.None)]
        [InlineData("AT+CSQ", Sim7080LineKind.Text, Sim7080Info.None)]
        [InlineData("+CGNAPN: 1,\"soracom.io\"", Sim7080LineKind.Text, Sim7080Info.None)]
        [InlineData("+SMSTATE: 1", Sim7080LineKind.Info, Sim7080Info.SmState)]
        [InlineData("+SMSTATE:0", Sim7080LineKind.Info, Sim7080Info.SmState)]
        public void Lines_are_classified(string line, Sim7080LineKind kind, Sim7080Info info)
        {
            var (k, r, _) = Parse(line);
            Assert.Equal(kind, k);
            Assert.Equal(info, r.Info);
        }

        [Theory]
        [InlineData("+CME ERROR: 10", 10)]
        [InlineData("+CME ERROR: SIM not inserted", 10)]
        [InlineData("+CME ERROR: SIM busy", 14)]
        [InlineData("+CME ERROR: operation not allowed", 3)]
        [InlineData("+CME ERROR: no network service", 30)]
        [InlineData("+CME ERROR: Operation Not Supported", 4)]
        [InlineData("+CME ERROR: something new", Sim7080Response.UnmappedText)]
        [InlineData("ERROR", Sim7080Response.PlainError)]
        public void CME_errors_carry_their_3GPP_code(string line, int code)
        {
            var (k, r, _) = Parse(line);
            Assert.Equal(Sim7080LineKind.Error, k);
            Assert.Equal(code, r.CmeError);
        }

        [Theory]
        [InlineData("+CPIN: READY", true)]
        [InlineData("+CPIN: SIM PIN", false)]
        [InlineData("+CPIN: NOT INSERTED", false)]
        public void CPIN_says_whether_the_SIM_is_ready(string line, bool ready)
        {
            var (k, r, _) = Parse(line);
            Assert.Equal(Sim7080LineKind.Info, k);
            Assert.Equal(Sim7080Info.Cpin, r.Info);
            Assert.Equal(ready, r.SimReady);
        }

        [Fact]
        public void CSQ_and_CPSI_give_the_signal_figures()
        {
            var (_, csq, _) = Parse("+CSQ: 18,99");
            Assert.Equal(Sim7080Info.Csq, csq.Info);
            Assert.Equal(18, csq.Number);
            Assert.Equal(99, csq.Number2);

            var (_, cpsi, _) = Parse("+CPSI: LTE CAT-M1,Online,440-10,0x1A2B,27447553,257,EUTRAN-BAND19,6150,3,3,-10,-97,-68,9");
            Assert.Equal(Sim7080Info.Cpsi, cpsi.Info);
            Assert.Equal(CellSystemMode.CatM, cpsi.SystemMode);
            Assert.True(cpsi.HasCellMetrics);
            Assert.Equal(-10, cpsi.RsrqDb);
            Assert.Equal(-97, cpsi.RsrpDbm);
            Assert.Equal(-68, cpsi.RssiDbm);
            Assert.Equal(9, cpsi.SinrDb);

            var (_, nb, _) = Parse("+CPSI: LTE NB-IOT,Online,440-10,0x1A2B,27447553,257,EUTRAN-BAND8,3740,0,0,-12,-110,-80,2");
            Assert.Equal(CellSystemMode.NbIot, nb.SystemMode);

            var (k, none, _) = Parse("+CPSI: NO SERVICE,Online");
            Assert.Equal(Sim7080LineKind.Info, k);
            Assert.Equal(CellSystemMode.NoService, none.SystemMode);
            Assert.False(none.HasCellMetrics);
        }

        [Theory]
        [InlineData("+CEREG: 0,1", Sim7080Info.Cereg, 1)]
        [InlineData("+CEREG: 0,5", Sim7080Info.Cereg, 5)]
        [InlineData("+CEREG: 2,2,\"1A2B\",\"01A2B3C4\",9", Sim7080Info.Cereg, 2)]
        [InlineData("+CEREG: 3", Sim7080Info.Cereg, 3)]
        [InlineData("+CEREG: 1,\"1A2B\",\"01A2B3C4\",9", Sim7080Info.Cereg, 1)]
        [InlineData("+CGREG: 0,1", Sim7080Info.Cgreg, 1)]
        [InlineData("+CGREG: 2", Sim7080Info.Cgreg, 2)]
        public void Registration_state_is_read_from_query_replies_and_URCs(string line, Sim7080Info info, int stat)
        {
            var (k, r, _) = Parse(line);
            Assert.Equal(Sim7080LineKind.Info, k);
            Assert.Equal(info, r.Info);
            Assert.Equal(stat, r.Number);
        }

        [Theory]
        [InlineData("+CNACT: 0,1,\"10.160.3.27\"", Sim7080Info.Cnact, 0, 1)]
        [InlineData("+CNACT: 3,0,\"0.0.0.0\"", Sim7080Info.Cnact, 3, 0)]
        [InlineData("+APP PDP: 0,ACTIVE", Sim7080Info.AppPdp, 0, 1)]
        [InlineData("+APP PDP: 0,DEACTIVE", Sim7080Info.AppPdp, 0, 0)]
        public void PDP_context_state_is_read(string line, Sim7080Info info, int pdp, int active)
        {
            var (k, r, _) = Parse(line);
            Assert.Equal(Sim7080LineKind.Info, k);
            Assert.Equal(info, r.Info);
            Assert.Equal(pdp, r.Number);
            Assert.Equal(active, r.Number2);
        }

        [Fact]
        public void SMSUB_gives_topic_and_message_spans_even_with_quotes_in_a_text_message()
        {
            string line = "+SMSUB: \"gw/7/ack\",\"00A1FF\"";
            var (k, r, _) = Parse(line);
            Assert.Equal(Sim7080Info.SmSub, r.Info);
            Assert.Equal("gw/7/ack", line.Substring(r.TopicStart, r.TopicLength));
            Assert.Equal("00A1FF", line.Substring(r.MessageStart, r.MessageLength));

            line = "+SMSUB:\"gw/7/down\",\"say \"hi\", twice\"";
            (k, r, _) = Parse(line);
            Assert.Equal(Sim7080LineKind.Info, k);
            Assert.Equal("say \"hi\", twice", line.Substring(r.MessageStart, r.MessageLength));
        }

        [Fact]
        public void CCLK_is_converted_to_Unix_time_with_its_zone()
        {
            var (k, r, _) = Parse("+CCLK: \"26/11/22,09:30:15+36\"");
            Assert.Equal(Sim7080Info.Cclk, r.Info);
            Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 30, 15, TimeSpan.Zero).ToUnixTimeMilliseconds(), r.TimeMs);
            (k, r, _) = Parse("+CCLK: \"24/02/29,23:59:59-08\"");
            Assert.Equal(new DateTimeOffset(2024, 3, 1, 1, 59, 59, TimeSpan.Zero).ToUnixTimeMilliseconds(), r.TimeMs);
            (k, r, _) = Parse("+CCLK: \"80/01/06,00:00:07+00\"");
            Assert.Equal(new DateTimeOffset(1980, 1, 6, 0, 0, 7, TimeSpan.Zero).ToUnixTimeMilliseconds(), r.TimeMs);
        }

        [Theory]
        [InlineData("+CSQ: 40,99", Sim7080MalformedReason.BadNumber)]
        [InlineData("+CSQ: 4", Sim7080MalformedReason.MissingField)]
        [InlineData("+CSQ:", Sim7080MalformedReason.MissingField)]
        [InlineData("+CSQ: x,99", Sim7080MalformedReason.BadNumber)]
        [InlineData("+CPIN:", Sim7080MalformedReason.MissingField)]
        [InlineData("+CME ERROR:", Sim7080MalformedReason.MissingField)]
        [InlineData("+CME ERROR: 12a", Sim7080MalformedReason.BadNumber)]
        [InlineData("+CEREG: 0,11", Sim7080MalformedReason.BadNumber)]
        [InlineData("+CNACT: 0,1,\"10.0.0", Sim7080MalformedReason.BadQuote)]
        [InlineData("+APP PDP: 0,MAYBE", Sim7080MalformedReason.BadState)]
        [InlineData("+SMSUB: \"gw/", Sim7080MalformedReason.BadQuote)]
        [InlineData("+SMSUB: \"gw/7/ack\"", Sim7080MalformedReason.MissingField)]
        [InlineData("+SMSUB: \"gw/7/ack\",\"00", Sim7080MalformedReason.BadQuote)]
        [InlineData("+SMSTATE: 7", Sim7080MalformedReason.BadNumber)]
        [InlineData("+CCLK: \"99/13/45,25:61:61+99\"", Sim7080MalformedReason.BadTime)]
        [InlineData("+CCLK: \"23/02/29,10:00:00+00\"", Sim7080MalformedReason.BadTime)]
        [InlineData("+CCLK: \"26/11/22\"", Sim7080MalformedReason.BadTime)]
        [InlineData("+CPSI: LTE CAT-M1,Online,440-10,0x1A2B,27447553,257,EUTRAN-BAND19,6150,3,3,-10,-500,-68,9", Sim7080MalformedReason.BadNumber)]
        [InlineData("O\u0000K", Sim7080MalformedReason.NonPrintable)]
        [InlineData("\u00ffOK", Sim7080MalformedReason.NonPrintable)]
        public void Broken_known_lines_are_malformed_with_their_reason(string line, Sim7080MalformedReason reason)
        {
            var (k, r, p) = Parse(line);
            Assert.Equal(Sim7080LineKind.Malformed, k);
            Assert.Equal(reason, r.Malformed);
            Assert.Equal(1, p.MalformedCount(reason));
            Assert.Equal(1, p.MalformedTotal);
        }

        private static readonly string[] Valid =
        {
            "OK", "ERROR", "> ", "RDY", "NORMAL POWER DOWN", "+CME ERROR: SIM not inserted", "+CPIN: READY", "+CSQ: 18,99",
            "+CPSI: LTE CAT-M1,Online,440-10,0x1A2B,27447553,257,EUTRAN-BAND19,6150,3,3,-10,-97,-68,9",
            "+CEREG: 0,1", "+CGREG: 2", "+CNACT: 0,1,\"10.160.3.27\"", "+APP PDP: 0,ACTIVE", "+SMSTATE: 0",
            "+SMSUB: \"gw/7/ack\",\"00A1FF\"", "+CCLK: \"26/11/22,09:30:15+36\"", "+CFUN: 1", "SMS Ready",
        };

        [Fact]
        public void Fuzz_100000_lines_never_throw_and_every_line_is_classified()
        {
            var random = new Random(7080);
            var p = new Sim7080ResponseParser();
            var r = new Sim7080Response();
            var buffer = new byte[300];
            var counts = new int[8];
            for (int i = 0; i < 100_000; i++)
            {
                int n;
                if (random.Next(3) == 0)
                {
                    n = random.Next(0, buffer.Length);
                    random.NextBytes(buffer.AsSpan(0, n));
                }
                else
                {
                    // A valid line mutated: cut, a byte changed, a byte inserted, printable noise.
                    var bytes = Encoding.ASCII.GetBytes(Valid[random.Next(Valid.Length)]);
                    n = bytes.Length;
                    bytes.CopyTo(buffer, 0);
                    int mutations = random.Next(0, 4);
                    for (int m = 0; m < mutations; m++)
                    {
                        switch (random.Next(3))
                        {
                            case 0:
                                n = random.Next(0, n + 1);
                                break;
                            case 1 when n > 0:
                                buffer[random.Next(n)] = (byte)random.Next(0x20, 0x7F);
                                break;
                            default:
                                if (n < buffer.Length - 1)
                                {
                                    int at = random.Next(n + 1);
                                    Array.Copy(buffer, at, buffer, at + 1, n - at);
                                    buffer[at] = (byte)"0123456789,\"-+: ABZ"[random.Next(19)];
                                    n++;
                                }

                                break;
                        }
                    }
                }

                var kind = p.Parse(buffer, 0, n, r);
                Assert.True(Enum.IsDefined(kind), "undefined kind for line " + i);
                counts[(int)kind]++;
                if (kind == Sim7080LineKind.Malformed)
                {
                    Assert.NotEqual(Sim7080MalformedReason.None, r.Malformed);
                }

                if (kind == Sim7080LineKind.Info)
                {
                    Assert.NotEqual(Sim7080Info.None, r.Info);
                }
            }

            Assert.Equal(100_000, p.LinesParsed);
            Assert.Equal(100_000, counts[0] + counts[1] + counts[2] + counts[3] + counts[4] + counts[5] + counts[6]);
            Assert.True(counts[(int)Sim7080LineKind.Malformed] > 1000);
            Assert.True(counts[(int)Sim7080LineKind.Info] > 1000);
            _out.WriteLine($"fuzz 100000 lines: empty {counts[0]}, ok {counts[1]}, error {counts[2]}, prompt {counts[3]}, info {counts[4]}, text {counts[5]}, malformed {counts[6]}");
            // Out-of-range offsets are classified, not thrown.
            Assert.Equal(Sim7080LineKind.Empty, p.Parse(buffer, 290, 50, r));
            Assert.Equal(Sim7080LineKind.Empty, p.Parse(null!, 0, 5, r));
        }

        [Fact]
        public void Parsing_allocates_nothing()
        {
            var p = new Sim7080ResponseParser();
            var r = new Sim7080Response();
            var lines = Array.ConvertAll(Valid, Encoding.ASCII.GetBytes);
            foreach (var l in lines)
            {
                p.Parse(l, 0, l.Length, r);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                var l = lines[i % lines.Length];
                p.Parse(l, 0, l.Length, r);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
