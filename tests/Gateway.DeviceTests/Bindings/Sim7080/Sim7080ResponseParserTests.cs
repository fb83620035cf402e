using Gateway.Bindings.Sim7080;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Bindings.Sim7080
{
    /// <summary>
    /// The SIM7080G response parser on the device, over lines recorded from the modem (the same lines as
    /// tests/Gateway.Tests/Cellular/Sim7080ResponseParserTests.cs): classification, CME errors, SIM state, signal,
    /// registration, PDP context, MQTT downlinks and session state, network time, and broken lines refused with a
    /// counted reason.
    /// </summary>
    [TestClass]
    public class Sim7080ResponseParserTests
    {
        // The test launcher calls test methods without an instance: state is static and fresh for every test.
        private static Sim7080ResponseParser _parser;
        private static Sim7080Response _r;

        /// <summary>Releases the static state after the last test of the class.</summary>
        [Cleanup]
        public void ReleaseState()
        {
            _parser = null;
            _r = null;
        }

        private static void Fresh()
        {
            _parser = new Sim7080ResponseParser();
            _r = new Sim7080Response();
        }

        private static Sim7080LineKind Parse(string line)
        {
            byte[] bytes = AsciiLine.Bytes(line);
            return _parser.Parse(bytes, 0, bytes.Length, _r);
        }

        /// <summary>Result codes, prompt, URCs and plain text are classified with their information kind.</summary>
        [TestMethod]
        public void LinesAreClassified()
        {
            Fresh();
            string[] lines = new string[] { "", "   ", "OK", "OK ", "ERROR", ">", "> ", "RDY", "NORMAL POWER DOWN", "+CFUN: 1", "SMS Ready", "AT+CSQ", "+CGNAPN: 1,\"soracom.io\"", "+SMSTATE: 1", "+SMSTATE:0" };
            Sim7080LineKind[] kinds = new Sim7080LineKind[]
            {
                Sim7080LineKind.Empty, Sim7080LineKind.Empty, Sim7080LineKind.Ok, Sim7080LineKind.Ok, Sim7080LineKind.Error, Sim7080LineKind.Prompt,
                Sim7080LineKind.Prompt, Sim7080LineKind.Info, Sim7080LineKind.Info, Sim7080LineKind.Info, Sim7080LineKind.Text, Sim7080LineKind.Text,
                Sim7080LineKind.Text, Sim7080LineKind.Info, Sim7080LineKind.Info,
            };
            Sim7080Info[] infos = new Sim7080Info[]
            {
                Sim7080Info.None, Sim7080Info.None, Sim7080Info.None, Sim7080Info.None, Sim7080Info.None, Sim7080Info.None,
                Sim7080Info.None, Sim7080Info.Ready, Sim7080Info.PowerDown, Sim7080Info.Cfun, Sim7080Info.None, Sim7080Info.None,
                Sim7080Info.None, Sim7080Info.SmState, Sim7080Info.SmState,
            };
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.AreEqual((byte)kinds[i], (byte)Parse(lines[i]), "'" + lines[i] + "'");
                Assert.AreEqual((byte)infos[i], (byte)_r.Info, "'" + lines[i] + "'");
            }
        }

        /// <summary>CME errors carry their 3GPP code, numeric or verbose; an unmapped text and a plain ERROR are marked.</summary>
        [TestMethod]
        public void CmeErrorsCarryTheir3gppCode()
        {
            Fresh();
            string[] lines = new string[] { "+CME ERROR: 10", "+CME ERROR: SIM not inserted", "+CME ERROR: SIM busy", "+CME ERROR: operation not allowed", "+CME ERROR: no network service", "+CME ERROR: Operation Not Supported", "+CME ERROR: something new", "ERROR" };
            int[] codes = new int[] { 10, 10, 14, 3, 30, 4, Sim7080Response.UnmappedText, Sim7080Response.PlainError };
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.AreEqual((byte)Sim7080LineKind.Error, (byte)Parse(lines[i]), lines[i]);
                Assert.AreEqual(codes[i], _r.CmeError, lines[i]);
            }
        }

        /// <summary>+CPIN says whether the SIM is ready.</summary>
        [TestMethod]
        public void CpinSaysWhetherTheSimIsReady()
        {
            Fresh();
            Parse("+CPIN: READY");
            Assert.AreEqual((byte)Sim7080Info.Cpin, (byte)_r.Info);
            Assert.IsTrue(_r.SimReady);
            Parse("+CPIN: SIM PIN");
            Assert.IsFalse(_r.SimReady);
            Parse("+CPIN: NOT INSERTED");
            Assert.IsFalse(_r.SimReady);
        }

        /// <summary>+CSQ and +CPSI give the signal figures and the LTE flavour (Cat-M1, NB-IoT, no service).</summary>
        [TestMethod]
        public void CsqAndCpsiGiveTheSignalFigures()
        {
            Fresh();
            Parse("+CSQ: 18,99");
            Assert.AreEqual((byte)Sim7080Info.Csq, (byte)_r.Info);
            Assert.AreEqual(18, _r.Number);
            Assert.AreEqual(99, _r.Number2);

            Parse("+CPSI: LTE CAT-M1,Online,440-10,0x1A2B,27447553,257,EUTRAN-BAND19,6150,3,3,-10,-97,-68,9");
            Assert.AreEqual((byte)Sim7080Info.Cpsi, (byte)_r.Info);
            Assert.AreEqual((byte)CellSystemMode.CatM, (byte)_r.SystemMode);
            Assert.IsTrue(_r.HasCellMetrics);
            Assert.AreEqual(-10, _r.RsrqDb);
            Assert.AreEqual(-97, _r.RsrpDbm);
            Assert.AreEqual(-68, _r.RssiDbm);
            Assert.AreEqual(9, _r.SinrDb);

            Parse("+CPSI: LTE NB-IOT,Online,440-10,0x1A2B,27447553,257,EUTRAN-BAND8,3740,0,0,-12,-110,-80,2");
            Assert.AreEqual((byte)CellSystemMode.NbIot, (byte)_r.SystemMode);

            Assert.AreEqual((byte)Sim7080LineKind.Info, (byte)Parse("+CPSI: NO SERVICE,Online"));
            Assert.AreEqual((byte)CellSystemMode.NoService, (byte)_r.SystemMode);
            Assert.IsFalse(_r.HasCellMetrics);
        }

        /// <summary>Registration state comes from query replies and URCs of +CEREG and +CGREG, with or without location.</summary>
        [TestMethod]
        public void RegistrationStateIsReadFromRepliesAndUrcs()
        {
            Fresh();
            string[] lines = new string[] { "+CEREG: 0,1", "+CEREG: 0,5", "+CEREG: 2,2,\"1A2B\",\"01A2B3C4\",9", "+CEREG: 3", "+CEREG: 1,\"1A2B\",\"01A2B3C4\",9", "+CGREG: 0,1", "+CGREG: 2" };
            Sim7080Info[] infos = new Sim7080Info[] { Sim7080Info.Cereg, Sim7080Info.Cereg, Sim7080Info.Cereg, Sim7080Info.Cereg, Sim7080Info.Cereg, Sim7080Info.Cgreg, Sim7080Info.Cgreg };
            int[] stats = new int[] { 1, 5, 2, 3, 1, 1, 2 };
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.AreEqual((byte)Sim7080LineKind.Info, (byte)Parse(lines[i]), lines[i]);
                Assert.AreEqual((byte)infos[i], (byte)_r.Info, lines[i]);
                Assert.AreEqual(stats[i], _r.Number, lines[i]);
            }
        }

        /// <summary>PDP context state from +CNACT replies and +APP PDP URCs.</summary>
        [TestMethod]
        public void PdpContextStateIsRead()
        {
            Fresh();
            string[] lines = new string[] { "+CNACT: 0,1,\"10.160.3.27\"", "+CNACT: 3,0,\"0.0.0.0\"", "+APP PDP: 0,ACTIVE", "+APP PDP: 0,DEACTIVE" };
            Sim7080Info[] infos = new Sim7080Info[] { Sim7080Info.Cnact, Sim7080Info.Cnact, Sim7080Info.AppPdp, Sim7080Info.AppPdp };
            int[] pdp = new int[] { 0, 3, 0, 0 };
            int[] active = new int[] { 1, 0, 1, 0 };
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.AreEqual((byte)Sim7080LineKind.Info, (byte)Parse(lines[i]), lines[i]);
                Assert.AreEqual((byte)infos[i], (byte)_r.Info, lines[i]);
                Assert.AreEqual(pdp[i], _r.Number, lines[i]);
                Assert.AreEqual(active[i], _r.Number2, lines[i]);
            }
        }

        /// <summary>+SMSUB (an MQTT downlink) gives topic and message spans, also with quotes inside a text message.</summary>
        [TestMethod]
        public void SmsubGivesTopicAndMessageSpans()
        {
            Fresh();
            string line = "+SMSUB: \"gw/7/ack\",\"00A1FF\"";
            Parse(line);
            Assert.AreEqual((byte)Sim7080Info.SmSub, (byte)_r.Info);
            Assert.AreEqual("gw/7/ack", line.Substring(_r.TopicStart, _r.TopicLength));
            Assert.AreEqual("00A1FF", line.Substring(_r.MessageStart, _r.MessageLength));

            line = "+SMSUB:\"gw/7/down\",\"say \"hi\", twice\"";
            Assert.AreEqual((byte)Sim7080LineKind.Info, (byte)Parse(line));
            Assert.AreEqual("say \"hi\", twice", line.Substring(_r.MessageStart, _r.MessageLength));
        }

        /// <summary>+CCLK network time becomes Unix milliseconds, its quarter-hour zone applied, leap days included.</summary>
        [TestMethod]
        public void CclkIsConvertedToUnixTimeWithItsZone()
        {
            Fresh();
            Parse("+CCLK: \"26/11/22,09:30:15+36\"");
            Assert.AreEqual((byte)Sim7080Info.Cclk, (byte)_r.Info);
            Assert.AreEqual(1795307415000L, _r.TimeMs, "2026-11-22T00:30:15Z");
            Parse("+CCLK: \"24/02/29,23:59:59-08\"");
            Assert.AreEqual(1709258399000L, _r.TimeMs, "2024-03-01T01:59:59Z");
            Parse("+CCLK: \"80/01/06,00:00:07+00\"");
            Assert.AreEqual(315964807000L, _r.TimeMs, "1980-01-06T00:00:07Z");
        }

        /// <summary>Broken known lines are Malformed with their reason, each counted.</summary>
        [TestMethod]
        public void BrokenKnownLinesAreMalformedWithTheirReason()
        {
            Fresh();
            string[] lines = new string[]
            {
                "+CSQ: 40,99", "+CSQ: 4", "+CSQ:", "+CSQ: x,99", "+CPIN:", "+CME ERROR:", "+CME ERROR: 12a", "+CEREG: 0,11",
                "+CNACT: 0,1,\"10.0.0", "+APP PDP: 0,MAYBE", "+SMSUB: \"gw/", "+SMSUB: \"gw/7/ack\"", "+SMSUB: \"gw/7/ack\",\"00",
                "+SMSTATE: 7", "+CCLK: \"99/13/45,25:61:61+99\"", "+CCLK: \"23/02/29,10:00:00+00\"", "+CCLK: \"26/11/22\"",
                "+CPSI: LTE CAT-M1,Online,440-10,0x1A2B,27447553,257,EUTRAN-BAND19,6150,3,3,-10,-500,-68,9", "O\u0001K", "\u00ffOK",
            };
            Sim7080MalformedReason[] reasons = new Sim7080MalformedReason[]
            {
                Sim7080MalformedReason.BadNumber, Sim7080MalformedReason.MissingField, Sim7080MalformedReason.MissingField, Sim7080MalformedReason.BadNumber,
                Sim7080MalformedReason.MissingField, Sim7080MalformedReason.MissingField, Sim7080MalformedReason.BadNumber, Sim7080MalformedReason.BadNumber,
                Sim7080MalformedReason.BadQuote, Sim7080MalformedReason.BadState, Sim7080MalformedReason.BadQuote, Sim7080MalformedReason.MissingField,
                Sim7080MalformedReason.BadQuote, Sim7080MalformedReason.BadNumber, Sim7080MalformedReason.BadTime, Sim7080MalformedReason.BadTime,
                Sim7080MalformedReason.BadTime, Sim7080MalformedReason.BadNumber, Sim7080MalformedReason.NonPrintable, Sim7080MalformedReason.NonPrintable,
            };
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.AreEqual((byte)Sim7080LineKind.Malformed, (byte)Parse(lines[i]), "line " + i.ToString());
                Assert.AreEqual((byte)reasons[i], (byte)_r.Malformed, "line " + i.ToString());
            }

            // A NUL inside a line (a nanoFramework string literal cannot hold one: the bytes as the UART gives them).
            byte[] nul = new byte[] { (byte)'O', 0, (byte)'K' };
            Assert.AreEqual((byte)Sim7080LineKind.Malformed, (byte)_parser.Parse(nul, 0, nul.Length, _r), "O NUL K");
            Assert.AreEqual((byte)Sim7080MalformedReason.NonPrintable, (byte)_r.Malformed, "O NUL K");

            Assert.AreEqual(lines.Length + 1, _parser.MalformedTotal);
            Assert.AreEqual(3, _parser.MalformedCount(Sim7080MalformedReason.BadTime));
        }
    }
}
