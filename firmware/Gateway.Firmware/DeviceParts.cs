using System;
using Gateway.Bindings.Bus;
using Gateway.Core.Security;
using Gateway.Core.Uplink;

namespace Gateway.Firmware
{
    /// <summary>Randomness for jitter and backoff: System.Random, seeded by the ESP32's hardware generator at start.</summary>
    public sealed class DeviceRandom : IRandomSource
    {
        private readonly Random _random = new Random();

        /// <inheritdoc />
        public uint NextUInt32()
        {
            return ((uint)_random.Next(65536) << 16) | (uint)_random.Next(65536);
        }
    }

    /// <summary>
    /// Stands in for the HMAC while no device key is provisioned: the node samples and stores, but it has no
    /// transport and so never signs; if anything tries to sign, it fails loudly rather than send unsigned data.
    /// </summary>
    public sealed class NoKeyHmac : IHmacSha256
    {
        /// <inheritdoc />
        public byte KeyId
        {
            get { return 0; }
        }

        /// <inheritdoc />
        public void Compute(byte[] data, int offset, int count, byte[] tag, int tagOffset)
        {
            throw new InvalidOperationException("not provisioned: no device key");
        }
    }

    /// <summary>The air temperature measured once at the wake (the 1-Wire bus and the ultrasonic sensor share COM3).</summary>
    public sealed class FixedTemperatureProbe : ITemperatureProbe
    {
        private readonly bool _valid;
        private readonly int _millicelsius;

        /// <summary>Holds one measurement; <paramref name="valid"/> false means no probe answered.</summary>
        public FixedTemperatureProbe(bool valid, int millicelsius)
        {
            _valid = valid;
            _millicelsius = millicelsius;
        }

        /// <inheritdoc />
        public bool TryReadMillicelsius(out int millicelsius)
        {
            millicelsius = _millicelsius;
            return _valid;
        }
    }
}
