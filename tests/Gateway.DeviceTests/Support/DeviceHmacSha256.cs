using System;
using System.Security.Cryptography;
using Gateway.Core.Security;

namespace Gateway.DeviceTests.Support
{
    /// <summary>HMAC-SHA256 through the board's nanoFramework HMACSHA256 (mbedTLS), as the firmware's adapter does.</summary>
    public sealed class DeviceHmacSha256 : IHmacSha256
    {
        private readonly HMACSHA256 _hmac;
        private readonly byte _keyId;

        /// <summary>Creates the authenticator for a key.</summary>
        public DeviceHmacSha256(byte keyId, byte[] key)
        {
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
            byte[] input = new byte[count];
            Array.Copy(data, offset, input, 0, count);
            byte[] hash = _hmac.ComputeHash(input);
            Array.Copy(hash, 0, tag, tagOffset, 32);
        }

        /// <summary>The key 00 01 02 … 1f of the documented worked examples.</summary>
        public static byte[] CountingKey()
        {
            byte[] key = new byte[32];
            for (int i = 0; i < key.Length; i++)
            {
                key[i] = (byte)i;
            }

            return key;
        }
    }
}
