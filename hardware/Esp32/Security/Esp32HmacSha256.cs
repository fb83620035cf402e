using System;
using System.Security.Cryptography;
using Gateway.Core.Security;

namespace Gateway.Hardware.Esp32.Security
{
    /// <summary>
    /// HMAC-SHA256 on the ESP32 through nanoFramework.System.Security.Cryptography (mbedTLS underneath).
    /// </summary>
    /// <remarks>
    /// nanoFramework's HMACSHA256 hashes a whole array and returns a new one, so a sub-range is copied into a
    /// scratch buffer first. That is one allocation per batch or downlink, never per reading.
    /// </remarks>
    public sealed class Esp32HmacSha256 : IHmacSha256
    {
        private readonly HMACSHA256 _hmac;
        private readonly byte _keyId;

        /// <summary>Creates the authenticator for a provisioned key (at least 16 bytes).</summary>
        public Esp32HmacSha256(byte keyId, byte[] key)
        {
            if (key == null || key.Length < 16)
            {
                throw new ArgumentException("a device key has at least 16 bytes");
            }

            _keyId = keyId;
            _hmac = new HMACSHA256(key);
        }

        /// <inheritdoc />
        public byte KeyId
        {
            get { return _keyId; }
        }

        /// <inheritdoc />
        public void Compute(byte[] data, int offset, int count, byte[] tag, int tagOffset)
        {
            byte[] input = data;
            if (offset != 0 || count != data.Length)
            {
                input = new byte[count];
                Array.Copy(data, offset, input, 0, count);
            }

            byte[] hash = _hmac.ComputeHash(input);
            Array.Copy(hash, 0, tag, tagOffset, 32);
        }
    }
}
