using System;
using System.Text;
using Gateway.Bindings.Sim7080;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Cellular
{
    public sealed class Sim7080AllocationTests
    {
        /// <summary>Answers like a connected SIM7080G from preallocated lines, so the only allocations measured are the driver's.</summary>
        private sealed class ScriptedModem : ISerialPromptLine
        {
            private static readonly byte[] Ok = Encoding.ASCII.GetBytes("OK");
            private static readonly byte[] Empty = Array.Empty<byte>();
            private static readonly byte[] Connected = Encoding.ASCII.GetBytes("+SMSTATE: 1");
            private static readonly byte[] Registered = Encoding.ASCII.GetBytes("+CEREG: 0,1");
            private static readonly byte[] PdpActive = Encoding.ASCII.GetBytes("+CNACT: 0,1,\"10.0.0.2\"");
            private static readonly byte[] Cpin = Encoding.ASCII.GetBytes("+CPIN: READY");
            private static readonly byte[] Error = Encoding.ASCII.GetBytes("ERROR");
            private static readonly byte[] BinaryAck = Encoding.ASCII.GetBytes("+SMSUB: \"gw/7/ack\",\"0A0B0C00FF\"");
            // Without SUBHEX: the hex twin's payload is hex text, passed by the modem as it is.
            private static readonly byte[] TwinAck = Encoding.ASCII.GetBytes("+SMSUB: \"gw/7/ack/hex\",\"0A0B0C00FF\"");
            private readonly bool _subHex;
            private readonly byte[] _ack;
            private readonly byte[][] _queue = new byte[16][];
            private int _head;
            private int _count;
            private int _rawLeft;
            private bool _prompt;
            public int Publishes;

            public ScriptedModem(bool subHex)
            {
                _subHex = subHex;
                _ack = subHex ? BinaryAck : TwinAck;
            }

            public void Write(byte[] data, int offset, int count)
            {
                if (_rawLeft > 0)
                {
                    _rawLeft -= count;
                    Publishes++;
                    if (Publishes % 10 == 0)
                    {
                        Push(_ack);
                    }

                    Push(Ok);
                    return;
                }

                if (Starts(data, offset, count, "AT+SMPUB="))
                {
                    int comma = offset + 9;
                    while (data[comma] != (byte)',' || data[comma - 1] != (byte)'"')
                    {
                        comma++;
                    }

                    int length = 0;
                    for (int i = comma + 1; data[i] != (byte)','; i++)
                    {
                        length = length * 10 + (data[i] - '0');
                    }

                    _rawLeft = length;
                    _prompt = true;
                    return;
                }

                if (!_subHex && Starts(data, offset, count, "AT+SMCONF=\"SUBHEX\""))
                {
                    Push(Error);
                    return;
                }

                if (Starts(data, offset, count, "AT+SMSTATE?"))
                {
                    Push(Connected);
                }
                else if (Starts(data, offset, count, "AT+CEREG?"))
                {
                    Push(Registered);
                }
                else if (Starts(data, offset, count, "AT+CNACT?"))
                {
                    Push(PdpActive);
                }
                else if (Starts(data, offset, count, "AT+CPIN?"))
                {
                    Push(Cpin);
                }

                Push(Ok);
            }

            public int ReadLine(byte[] buffer, int offset, int capacity, int timeoutMs) => Next(buffer, offset);

            public int ReadLineOrPrompt(byte[] buffer, int offset, int capacity, int timeoutMs, byte prompt)
            {
                if (_prompt && _count == 0)
                {
                    _prompt = false;
                    return PromptLineStatus.Prompt;
                }

                return Next(buffer, offset);
            }

            public void DiscardInput()
            {
                _count = 0;
            }

            private int Next(byte[] buffer, int offset)
            {
                if (_count == 0)
                {
                    return SerialLineStatus.Timeout;
                }

                byte[] line = _queue[_head];
                _head = (_head + 1) % _queue.Length;
                _count--;
                Array.Copy(line, 0, buffer, offset, line.Length);
                return line.Length;
            }

            private void Push(byte[] line)
            {
                _queue[(_head + _count) % _queue.Length] = line;
                _count++;
                if (line != Empty)
                {
                    return;
                }
            }

            private static bool Starts(byte[] data, int offset, int count, string prefix)
            {
                if (count < prefix.Length)
                {
                    return false;
                }

                for (int i = 0; i < prefix.Length; i++)
                {
                    if (data[offset + i] != (byte)prefix[i])
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        private sealed class StillClock : IClock
        {
            public long UptimeMs { get; set; }
            public long WallTimeMs => 1_790_000_000_000L + UptimeMs;
            public ClockQuality Quality => ClockQuality.Network;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)] // no SUBHEX: downlinks come on the hex twin topics
        public void Publishing_and_taking_downlinks_allocate_nothing_in_steady_state(bool subHex)
        {
            var line = new ScriptedModem(subHex);
            var clock = new StillClock();
            var settings = new Sim7080Settings { Apn = "soracom.io", BrokerHost = "broker.example", BrokerPort = 1883, UseTls = false, DeviceId = "7" };
            var driver = new Sim7080(line, clock, settings, null);
            var transport = new Sim7080Transport(driver, clock);
            Assert.True(transport.EnsureReady(), "bring-up: " + transport.LastStatus);
            Assert.Equal(subHex, driver.HexDownlinks);
            Assert.Equal(!subHex, driver.SubscribedToHexTwins);

            var payload = new byte[480];
            new Random(1).NextBytes(payload);
            var downlink = new byte[600];
            for (int i = 0; i < 20; i++)
            {
                Assert.Equal(UplinkStatus.Sent, transport.Send(payload, 0, payload.Length, PayloadClass.Newest).Status);
                transport.PollDownlink(downlink, 0, downlink.Length, out _);
            }

            int downlinks = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 2000; i++)
            {
                transport.Send(payload, 0, payload.Length, PayloadClass.Newest);
                while (transport.PollDownlink(downlink, 0, downlink.Length, out int channel) == 5)
                {
                    downlinks += channel == MqttTopics.AckChannel && downlink[4] == 0xFF ? 1 : 0;
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(2020, line.Publishes);
            Assert.Equal(200, downlinks);
            Assert.Equal(0, allocated);
            Assert.Equal(0, driver.DownlinksRefused + driver.DownlinksOtherPair);
        }
    }
}
