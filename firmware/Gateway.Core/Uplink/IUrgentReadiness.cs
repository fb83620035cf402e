namespace Gateway.Core.Uplink
{
    /// <summary>
    /// Optional for a transport whose bring-up keeps its own backoff because an attempt is expensive (a cellular
    /// attach can take minutes of radio time): the <see cref="UplinkScheduler"/> calls <see cref="AlarmWaiting"/>
    /// before <see cref="IUplinkTransport.EnsureReady"/> while an alarm cannot go, so the transport may shorten its
    /// wait to a spacing it can afford. Without it, an alarm raised in a long outage would wait for the transport's
    /// longest backoff after coverage returns.
    /// </summary>
    public interface IUrgentReadiness
    {
        /// <summary>An alarm is waiting for this transport: shorten the wait before the next bring-up attempt, if the transport allows.</summary>
        void AlarmWaiting();
    }
}
