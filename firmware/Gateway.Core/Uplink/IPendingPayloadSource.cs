namespace Gateway.Core.Uplink
{
    /// <summary>
    /// What the <see cref="UplinkScheduler"/> drains: the storage log plus the batch encoder behind one small seam, so
    /// the scheduler knows priorities and transports but not formats. The source builds a payload of a class that fits
    /// a size, and learns which payloads were handed over.
    /// </summary>
    public interface IPendingPayloadSource
    {
        /// <summary>
        /// Encodes the next pending payload of <paramref name="payloadClass"/> into <paramref name="buffer"/> at
        /// <paramref name="offset"/>, at most <paramref name="maxBytes"/> long. Returns its length (0 when nothing of
        /// that class is pending) and a <paramref name="token"/> naming its content (e.g. first sequence and count)
        /// for <see cref="OnHandedOver"/>. Calling it again without <see cref="OnHandedOver"/> yields the same content.
        /// Return 0 only when nothing of the class is pending: if something is, encode as much of it as fits (at
        /// least <see cref="UplinkScheduler.MinUsefulPayloadBytes"/> = 11 bytes, the DR2 limit, are always offered), or the scheduler would let a lower class overtake it.
        /// </summary>
        int Next(PayloadClass payloadClass, byte[] buffer, int offset, int maxBytes, out long token);

        /// <summary>
        /// True when something of <paramref name="payloadClass"/> is pending (what <see cref="Next"/> would send). The
        /// scheduler asks before it lets an alarm shorten a transport's backoff, so a link is never brought up early
        /// (a LoRaWAN join, a cellular attach) when no alarm is waiting.
        /// </summary>
        bool HasPending(PayloadClass payloadClass);

        /// <summary>
        /// The payload named by <paramref name="token"/> went out over <paramref name="transportName"/>: it moves to
        /// "awaiting the cloud's acknowledgement" (it stays in the log until that arrives, and is resent as backfill
        /// if it never does).
        /// </summary>
        void OnHandedOver(long token, PayloadClass payloadClass, string transportName);
    }
}
