using Gateway.Bindings.Rak3172;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Bindings.Rak3172
{
    /// <summary>
    /// The RAK3172 (RUI3) AT response parser on the device, over lines recorded from the module (the same lines as
    /// tests/Gateway.Tests/Uplink/AtResponseParserTests.cs): line forms, status codes, events, downlinks with their
    /// radio figures and payload, link checks, query values, and malformed lines refused with a counted reason.
    /// </summary>
    [TestClass]
    public class AtResponseParserTests
    {
        // The test launcher calls test methods without an instance: state is static and fresh for every test.
        private static AtResponseParser _parser;
        private static AtResponse _r;

        /// <summary>Releases the static state after the last test of the class.</summary>
        [Cleanup]
        public void ReleaseState()
        {
            _parser = null;
            _r = null;
        }

        private static void Fresh()
        {
            _parser = new AtResponseParser();
            _r = new AtResponse();
        }

        private static AtLineKind Parse(string line)
        {
            byte[] bytes = AsciiLine.Bytes(line);
            return _parser.Parse(bytes, 0, bytes.Length, _r);
        }

        /// <summary>OK, empty, error codes, plain text, events and query values are told apart.</summary>
        [TestMethod]
        public void RecognisesTheLineForms()
        {
            Fresh();
            string[] lines = new string[] { "OK", "", "AT_PARAM_ERROR", "Current Work Mode: LoRaWAN.", "+EVT:JOINED", "AT+NJS=1" };
            AtLineKind[] kinds = new AtLineKind[] { AtLineKind.Ok, AtLineKind.Empty, AtLineKind.Error, AtLineKind.Text, AtLineKind.Event, AtLineKind.Value };
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.AreEqual((byte)kinds[i], (byte)Parse(lines[i]), lines[i]);
            }
        }

        /// <summary>RUI3 status codes map to their errors, unknown ones to Unknown.</summary>
        [TestMethod]
        public void ClassifiesRui3StatusCodes()
        {
            Fresh();
            string[] lines = new string[] { "AT_ERROR", "AT_BUSY_ERROR", "AT_NO_NETWORK_JOINED", "AT_TEST_PARAM_OVERFLOW", "AT_COMMAND_NOT_FOUND", "AT_SOMETHING_NEW_ERROR" };
            AtError[] errors = new AtError[] { AtError.Generic, AtError.Busy, AtError.NotJoined, AtError.ParamOverflow, AtError.CommandNotFound, AtError.Unknown };
            for (int i = 0; i < lines.Length; i++)
            {
                Parse(lines[i]);
                Assert.AreEqual((byte)errors[i], (byte)_r.Error, lines[i]);
            }
        }

        /// <summary>Join, send, confirmation and time events in both RUI3 spellings.</summary>
        [TestMethod]
        public void ClassifiesEvents()
        {
            Fresh();
            string[] lines = new string[] { "+EVT:JOIN_FAILED_RX_TIMEOUT", "+EVT:JOIN FAILED", "+EVT:TX_DONE", "+EVT:SEND_CONFIRMED_OK", "+EVT: SEND CONFIRMED OK", "+EVT:SEND_CONFIRMED_FAILED(4)", "+EVT:TIMEREQ_OK", "+EVT:BC_LOCKED" };
            AtEvent[] events = new AtEvent[] { AtEvent.JoinFailed, AtEvent.JoinFailed, AtEvent.TxDone, AtEvent.SendConfirmedOk, AtEvent.SendConfirmedOk, AtEvent.SendConfirmedFailed, AtEvent.TimeRequestOk, AtEvent.Other };
            for (int i = 0; i < lines.Length; i++)
            {
                Parse(lines[i]);
                Assert.AreEqual((byte)events[i], (byte)_r.Event, lines[i]);
            }
        }

        /// <summary>A downlink event gives window, RSSI, SNR, port, unicast or multicast, and the payload bytes.</summary>
        [TestMethod]
        public void DownlinkEventYieldsRadioFiguresPortAndPayload()
        {
            Fresh();
            Assert.AreEqual((byte)AtLineKind.Event, (byte)Parse("+EVT:RX_1:-70:8:UNICAST:2:1234"));
            Assert.AreEqual((byte)AtEvent.Downlink, (byte)_r.Event);
            Assert.AreEqual(1, _r.Window);
            Assert.AreEqual(-70, _r.Rssi);
            Assert.AreEqual(8, _r.Snr);
            Assert.AreEqual(2, _r.Port);
            Assert.IsFalse(_r.Multicast);
            Assert.AreEqual(2, _r.PayloadLength);
            Assert.AreEqual((byte)0x12, _r.Payload[0]);
            Assert.AreEqual((byte)0x34, _r.Payload[1]);

            Parse("+EVT:RX_C:-34:8:MULTICAST:130:030001");
            Assert.IsTrue(_r.Multicast);
            Assert.AreEqual((int)'C', _r.Window);
            Assert.AreEqual(130, _r.Port);
            Assert.AreEqual(3, _r.PayloadLength);
        }

        /// <summary>Link-check answers parse with either RUI3 separator.</summary>
        [TestMethod]
        public void LinkCheckParsesBothSeparators()
        {
            Fresh();
            string[] lines = new string[] { "+EVT:LINKCHECK:0:21:1:-60:11", "+EVT:LINKCHECK:0,21,1,-60,11" };
            for (int i = 0; i < lines.Length; i++)
            {
                Parse(lines[i]);
                Assert.AreEqual((byte)AtEvent.LinkCheck, (byte)_r.Event, lines[i]);
                Assert.AreEqual(0, _r.LinkResult);
                Assert.AreEqual(21, _r.LinkMargin);
                Assert.AreEqual(1, _r.LinkGateways);
                Assert.AreEqual(-60, _r.Rssi);
                Assert.AreEqual(11, _r.Snr);
            }
        }

        /// <summary>A query value keeps its name span, its number and its hex bytes.</summary>
        [TestMethod]
        public void QueryValueKeepsNameNumberAndHex()
        {
            Fresh();
            string line = "AT+DEVEUI=70B3D57ED0061A2B";
            Assert.AreEqual((byte)AtLineKind.Value, (byte)Parse(line));
            Assert.AreEqual("DEVEUI", line.Substring(_r.NameStart, _r.NameLength));
            Assert.AreEqual(8, _r.PayloadLength);
            Assert.AreEqual((byte)0x70, _r.Payload[0]);
            Assert.AreEqual((byte)0x2B, _r.Payload[7]);
            Parse("AT+DR=3");
            Assert.IsTrue(_r.HasNumber);
            Assert.AreEqual(3, _r.Number);
        }

        /// <summary>Broken lines are Malformed with their reason, each counted once.</summary>
        [TestMethod]
        public void MalformedLinesAreRejectedWithACountedReason()
        {
            Fresh();
            string[] lines = new string[]
            {
                "+EVT:", "+EVT:RX_1:-70:8:UNICAST:2:123", "+EVT:RX_1:-70:8:UNICAST:2:12G4", "+EVT:RX_1:-70:8:UNICAST",
                "+EVT:RX_1:-70:8:UNICAST:2:12:34", "+EVT:RX_1:-7x0:8:UNICAST:2:12", "+EVT:RX_1:-70:8:UNICAST:999:12",
                "+EVT:RX_1:-70:8:BROADCAST:2:12", "+EVT:RX_9:-70:8:UNICAST:2:12", "+EVT:LINKCHECK:0:21:1",
                "+EVT:SEND_CONFIRMED_FAILED(x)", "AT+=1", "AT+NJS", "OK\u0007",
            };
            AtMalformedReason[] reasons = new AtMalformedReason[]
            {
                AtMalformedReason.EmptyEvent, AtMalformedReason.OddHex, AtMalformedReason.BadHexDigit, AtMalformedReason.MissingField,
                AtMalformedReason.ExtraField, AtMalformedReason.BadNumber, AtMalformedReason.BadNumber,
                AtMalformedReason.BadDownlinkKind, AtMalformedReason.BadDownlinkKind, AtMalformedReason.MissingField,
                AtMalformedReason.BadStatusCode, AtMalformedReason.BadValue, AtMalformedReason.BadValue, AtMalformedReason.NonPrintable,
            };
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.AreEqual((byte)AtLineKind.Malformed, (byte)Parse(lines[i]), "line " + i.ToString());
                Assert.AreEqual((byte)reasons[i], (byte)_r.Malformed, "line " + i.ToString());
            }

            Assert.AreEqual(lines.Length, _parser.MalformedTotal);
            Assert.AreEqual(2, _parser.MalformedCount(AtMalformedReason.BadNumber));
            Assert.AreEqual(lines.Length, _parser.ParsedCount);
        }

        /// <summary>A downlink payload longer than the response buffer is refused, not truncated.</summary>
        [TestMethod]
        public void OversizedDownlinkPayloadIsRejected()
        {
            Fresh();
            string hex = new string('A', 2 * (AtResponse.MaxPayload + 1));
            Assert.AreEqual((byte)AtLineKind.Malformed, (byte)Parse("+EVT:RX_1:-70:8:UNICAST:2:" + hex));
            Assert.AreEqual((byte)AtMalformedReason.PayloadTooLong, (byte)_r.Malformed);
        }
    }
}
