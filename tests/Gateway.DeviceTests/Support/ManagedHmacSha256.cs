using System;
using Gateway.Core.Security;

namespace Gateway.DeviceTests.Support
{
    /// <summary>
    /// HMAC-SHA256 (FIPS 180-4, RFC 2104) in plain managed code, for the tests that must run where the runtime has no
    /// HMACSHA256 native (the Linux nanoCLR registers none; an ESP32 uses mbedTLS through <see cref="DeviceHmacSha256"/>).
    /// Buffers are allocated once per instance; <see cref="Compute"/> allocates nothing.
    /// </summary>
    public sealed class ManagedHmacSha256 : IHmacSha256
    {
        private static readonly uint[] K =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        private readonly byte _keyId;
        private readonly byte[] _innerPad = new byte[64];
        private readonly byte[] _outerPad = new byte[64];
        private readonly uint[] _h = new uint[8];
        private readonly uint[] _w = new uint[64];
        private readonly byte[] _block = new byte[64];
        private readonly byte[] _inner = new byte[32];
        private int _blockFill;
        private long _total;

        /// <summary>Creates the authenticator for a key (keys longer than 64 bytes are hashed first, as RFC 2104 says).</summary>
        public ManagedHmacSha256(byte keyId, byte[] key)
        {
            _keyId = keyId;
            byte[] k = new byte[64];
            if (key.Length > 64)
            {
                byte[] digest = new byte[32];
                Start();
                Update(key, 0, key.Length);
                Finish(digest, 0);
                Array.Copy(digest, k, 32);
            }
            else
            {
                Array.Copy(key, k, key.Length);
            }

            for (int i = 0; i < 64; i++)
            {
                _innerPad[i] = (byte)(k[i] ^ 0x36);
                _outerPad[i] = (byte)(k[i] ^ 0x5c);
            }
        }

        /// <inheritdoc />
        public byte KeyId
        {
            get { return _keyId; }
        }

        /// <inheritdoc />
        public void Compute(byte[] data, int offset, int count, byte[] tag, int tagOffset)
        {
            Start();
            Update(_innerPad, 0, 64);
            Update(data, offset, count);
            Finish(_inner, 0);
            Start();
            Update(_outerPad, 0, 64);
            Update(_inner, 0, 32);
            Finish(tag, tagOffset);
        }

        /// <summary>Plain SHA-256 of <paramref name="count"/> bytes (for the known-answer test).</summary>
        public void Hash(byte[] data, int offset, int count, byte[] digest, int digestOffset)
        {
            Start();
            Update(data, offset, count);
            Finish(digest, digestOffset);
        }

        private void Start()
        {
            _h[0] = 0x6a09e667;
            _h[1] = 0xbb67ae85;
            _h[2] = 0x3c6ef372;
            _h[3] = 0xa54ff53a;
            _h[4] = 0x510e527f;
            _h[5] = 0x9b05688c;
            _h[6] = 0x1f83d9ab;
            _h[7] = 0x5be0cd19;
            _blockFill = 0;
            _total = 0;
        }

        private void Update(byte[] data, int offset, int count)
        {
            _total += count;
            for (int i = 0; i < count; i++)
            {
                _block[_blockFill++] = data[offset + i];
                if (_blockFill == 64)
                {
                    Compress();
                    _blockFill = 0;
                }
            }
        }

        private void Finish(byte[] digest, int offset)
        {
            long bits = _total * 8;
            _block[_blockFill++] = 0x80;
            if (_blockFill > 56)
            {
                while (_blockFill < 64)
                {
                    _block[_blockFill++] = 0;
                }

                Compress();
                _blockFill = 0;
            }

            while (_blockFill < 56)
            {
                _block[_blockFill++] = 0;
            }

            for (int i = 7; i >= 0; i--)
            {
                _block[56 + (7 - i)] = (byte)(bits >> (8 * i));
            }

            Compress();
            for (int i = 0; i < 8; i++)
            {
                uint v = _h[i];
                digest[offset + 4 * i] = (byte)(v >> 24);
                digest[offset + 4 * i + 1] = (byte)(v >> 16);
                digest[offset + 4 * i + 2] = (byte)(v >> 8);
                digest[offset + 4 * i + 3] = (byte)v;
            }
        }

        private static uint Rotr(uint x, int n)
        {
            return (x >> n) | (x << (32 - n));
        }

        private void Compress()
        {
            uint[] w = _w;
            for (int i = 0; i < 16; i++)
            {
                int j = 4 * i;
                w[i] = ((uint)_block[j] << 24) | ((uint)_block[j + 1] << 16) | ((uint)_block[j + 2] << 8) | _block[j + 3];
            }

            for (int i = 16; i < 64; i++)
            {
                uint a = w[i - 15];
                uint b = w[i - 2];
                uint s0 = Rotr(a, 7) ^ Rotr(a, 18) ^ (a >> 3);
                uint s1 = Rotr(b, 17) ^ Rotr(b, 19) ^ (b >> 10);
                w[i] = unchecked(w[i - 16] + s0 + w[i - 7] + s1);
            }

            uint h0 = _h[0], h1 = _h[1], h2 = _h[2], h3 = _h[3], h4 = _h[4], h5 = _h[5], h6 = _h[6], h7 = _h[7];
            for (int i = 0; i < 64; i++)
            {
                uint s1 = Rotr(h4, 6) ^ Rotr(h4, 11) ^ Rotr(h4, 25);
                uint ch = (h4 & h5) ^ (~h4 & h6);
                uint t1 = unchecked(h7 + s1 + ch + K[i] + w[i]);
                uint s0 = Rotr(h0, 2) ^ Rotr(h0, 13) ^ Rotr(h0, 22);
                uint maj = (h0 & h1) ^ (h0 & h2) ^ (h1 & h2);
                uint t2 = unchecked(s0 + maj);
                h7 = h6;
                h6 = h5;
                h5 = h4;
                h4 = unchecked(h3 + t1);
                h3 = h2;
                h2 = h1;
                h1 = h0;
                h0 = unchecked(t1 + t2);
            }

            _h[0] = unchecked(_h[0] + h0);
            _h[1] = unchecked(_h[1] + h1);
            _h[2] = unchecked(_h[2] + h2);
            _h[3] = unchecked(_h[3] + h3);
            _h[4] = unchecked(_h[4] + h4);
            _h[5] = unchecked(_h[5] + h5);
            _h[6] = unchecked(_h[6] + h6);
            _h[7] = unchecked(_h[7] + h7);
        }
    }
}
