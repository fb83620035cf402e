using System;
using System.Text;
using Gateway.Bindings.Rak3172;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Uplink
{
    public sealed class Rak3172AllocationTests
    {
        /// <summary>Answers like RUI3 from preallocated lines, so the only allocations measured are the driver's.</summary>
        private sealed class ScriptedLine : ISerialLine
        {
            private static readonly byte[] Ok = Encoding.ASCII.GetBytes("OK");
            private static readonly byte[] Njs = Encoding.ASCII.GetBytes("AT+NJS=1");
            private static readonly byte[] Dr = Encoding.ASCII.GetBytes("AT+DR=3");
            private static readonly byte[] TxDone = Encoding.ASCII.GetBytes("+EVT:TX_DONE");
            private static readonly byte[] Rx = Encoding.ASCII.GetBytes("+EVT:RX_1:-70:8:UNICAST:5:0A0B0C");
            private readonly byte[][] _queue = new byte[8][];
            private int _head;
            private int _count;
            public int Sends;

            public void Write(byte[] data, int offset, int count)
            {
                if (StartsWith(data, offset, count, "AT+NJS=?"))
                {
                    Push(Njs);
                }
                else if (StartsWith(data, offset, count, "AT+DR=?"))
                {
                    Push(Dr);
                }

                Push(Ok);
                if (StartsWith(data, offset, count, "AT+SEND="))
                {
                    Sends++;
                    if (Sends % 10 == 0)
                    {
                        Push(Rx);
                    }

                    Push(TxDone);
                }
            }

            public int ReadLine(byte[] buffer, int offset, int capacity, int timeoutMs)
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

            public void DiscardInput() => _count = 0;

            private void Push(byte[] line)
            {
                _queue[(_head + _count) % _queue.Length] = line;
                _count++;
            }

            private static bool StartsWith(byte[] data, int offset, int count, string text)
            {
                if (count < text.Length)
                {
                    return false;
                }

                for (int i = 0; i < text.Length; i++)
                {
                    if (data[offset + i] != text[i])
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        private sealed class SteppingClock : IClock
        {
            public long UptimeMs { get; set; }
            public long WallTimeMs => Rak3172Rig.T0 + UptimeMs;
            public ClockQuality Quality => ClockQuality.Network;
        }

        [Fact]
        public void Steady_state_sends_with_downlinks_allocate_nothing()
        {
            var line = new ScriptedLine();
            var clock = new SteppingClock();
            var budget = new DwellTimeBudget(new DwellTimeSettings());
            var driver = new Rak3172(line, clock, new Rak3172Settings(), new SeededRandom(1), budget);
            Assert.Equal(Rak3172Status.Ok, driver.Initialize());
            Assert.True(driver.IsJoined);
            var payload = new byte[53];
            var downlink = new byte[256];
            Assert.Equal(Rak3172Status.Ok, driver.Send(2, payload, 0, payload.Length, confirmed: false));

            int failures = 0;
            int downlinks = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 2000; i++)
            {
                clock.UptimeMs += 30_000;
                payload[0] = (byte)i;
                if (driver.Send(2, payload, 0, payload.Length, confirmed: false) != Rak3172Status.Ok)
                {
                    failures++;
                }

                while (driver.TryTakeDownlink(downlink, 0, out _, out _))
                {
                    downlinks++;
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, failures);
            Assert.Equal(2001, line.Sends);
            Assert.Equal(200, downlinks);
            Assert.Equal(0, allocated);
        }
    }
}
