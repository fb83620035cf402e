using System;
using System.Collections.Generic;
using Gateway.Core.Uplink;
using Gateway.Virtual.Time;

namespace Gateway.Simulation
{
    /// <summary>
    /// The cellular or Wi-Fi MQTT path without a broker, in process: a publish reaches the cloud receiver (unless lost
    /// or in an outage) and the receiver's acknowledgements come back as downlinks. Publishing is not delivery: a
    /// lost publish still looks sent to the gateway, which resends when no acknowledgement comes.
    /// </summary>
    public sealed class LoopbackTransport : IUplinkTransport
    {
        private readonly VirtualClock _clock;
        private readonly Func<byte[], IReadOnlyList<byte[]>> _deliver;
        private readonly Random _random;
        private readonly double _loss;
        private readonly List<(long Start, long End)> _outages;
        private readonly Queue<byte[]> _downlinks = new();

        /// <summary>Creates the path: <paramref name="deliver"/> hands a payload to the cloud and returns its answers.</summary>
        public LoopbackTransport(string name, VirtualClock clock, Func<byte[], IReadOnlyList<byte[]>> deliver, double loss, List<(long Start, long End)> outages, int seed, int maxPayloadBytes = 1024)
        {
            Name = name;
            _clock = clock;
            _deliver = deliver;
            _loss = loss;
            _outages = outages;
            _random = new Random(seed);
            MaxPayloadBytes = maxPayloadBytes;
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <summary>Largest payload, bytes.</summary>
        public int MaxPayloadBytes { get; }

        /// <summary>Payload bytes published.</summary>
        public long BytesSent { get; private set; }

        /// <summary>Publishes.</summary>
        public int Sends { get; private set; }

        /// <summary>Publishes lost on the way.</summary>
        public int Lost { get; private set; }

        /// <inheritdoc />
        public bool IsAvailable => !InOutage();

        /// <inheritdoc />
        public int MaxPayloadNow => IsAvailable ? MaxPayloadBytes : 0;

        /// <inheritdoc />
        public bool EnsureReady() => IsAvailable;

        /// <inheritdoc />
        public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
        {
            if (InOutage())
            {
                return new UplinkResult(UplinkStatus.Unavailable, 0);
            }

            if (count > MaxPayloadBytes)
            {
                return new UplinkResult(UplinkStatus.TooLarge, 0);
            }

            _clock.Advance(300); // connect, publish, PUBACK on LTE-M
            Sends++;
            BytesSent += count;
            if (_random.NextDouble() < _loss)
            {
                Lost++;
                return new UplinkResult(UplinkStatus.Sent, 0);
            }

            foreach (var answer in _deliver(data.AsSpan(offset, count).ToArray()))
            {
                _downlinks.Enqueue(answer);
            }

            return new UplinkResult(UplinkStatus.Sent, 0);
        }

        /// <inheritdoc />
        public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
        {
            channel = 0;
            if (_downlinks.Count == 0 || _downlinks.Peek().Length > capacity)
            {
                return -1;
            }

            var d = _downlinks.Dequeue();
            d.CopyTo(buffer, offset);
            return d.Length;
        }

        private bool InOutage() => OutageWindows.Contains(_outages, _clock.WallTimeMs);
    }
}
