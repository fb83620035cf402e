namespace Gateway.Core.Security
{
    /// <summary>
    /// HMAC-SHA256 with the device key, for batch tags, downlink verification and signed records. The key never
    /// leaves the implementation: the device backs it with nanoFramework's HMACSHA256, the host with .NET's.
    /// </summary>
    public interface IHmacSha256
    {
        /// <summary>Which provisioned key this is (carried in batch headers so keys can rotate).</summary>
        byte KeyId { get; }

        /// <summary>
        /// Computes HMAC-SHA256 over <paramref name="count"/> bytes of <paramref name="data"/> from
        /// <paramref name="offset"/>, writing the 32-byte tag into <paramref name="tag"/> at <paramref name="tagOffset"/>.
        /// </summary>
        void Compute(byte[] data, int offset, int count, byte[] tag, int tagOffset);
    }
}
