using System;
using System.Security.Cryptography;
using Gateway.Core.Security;

namespace Gateway.Cloud.Security
{
    /// <summary>
    /// HMAC-SHA256 for the cloud side (<see cref="HMACSHA256"/> of .NET): verifies batches and commissioning records,
    /// signs acknowledgement downlinks. The receiver's own, so it does not depend on the simulation hardware.
    /// </summary>
    public sealed class CloudHmacSha256 : IHmacSha256
    {
        private readonly byte[] _key;

        /// <summary>Creates the authenticator for a device key; a key under 16 bytes is refused (there is no default key).</summary>
        public CloudHmacSha256(byte keyId, byte[] key)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (key.Length < 16)
            {
                throw new ArgumentException("a device key has at least 16 bytes", nameof(key));
            }

            KeyId = keyId;
            _key = (byte[])key.Clone();
        }

        /// <inheritdoc />
        public byte KeyId { get; }

        /// <inheritdoc />
        public void Compute(byte[] data, int offset, int count, byte[] tag, int tagOffset)
        {
            HMACSHA256.HashData(_key, data.AsSpan(offset, count), tag.AsSpan(tagOffset, 32));
        }
    }
}
