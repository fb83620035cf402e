using System;
using System.Security.Cryptography;
using Gateway.Core.Security;

namespace Gateway.Virtual.Security
{
    /// <summary>HMAC-SHA256 on the host (.NET), for the simulator, the tests and the cloud receiver.</summary>
    public sealed class HostHmacSha256 : IHmacSha256
    {
        private readonly byte[] _key;

        /// <summary>Creates the authenticator for a key; an empty key is refused (there is no default key).</summary>
        public HostHmacSha256(byte keyId, byte[] key)
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
