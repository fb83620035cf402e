using Gateway.Core.Time;

namespace Gateway.Core.Uplink
{
    /// <summary>
    /// Drains pending data over the available transports: alarms first, then the newest readings, then the backlog
    /// oldest first; each payload over the cheapest transport that can take it now, failing over to the next by
    /// configured cost when one is down, out of budget or failing, and backing off (full jitter) a failing transport.
    /// </summary>
    /// <remarks>
    /// One call of <see cref="RunOnce"/> per wake or per main-loop turn; it returns after at most
    /// <see cref="MaxSendsPerRun"/> payloads or when nothing more can go now. Fixed arrays, one payload buffer, no
    /// allocation per run. Times are wall-clock milliseconds (they continue across deep sleep).
    /// </remarks>
    public sealed class UplinkScheduler
    {
        /// <summary>Most transports one scheduler drives.</summary>
        public const int MaxTransports = 4;

        /// <summary>Smallest payload offered to the source (the AS923 DR2 dwell limit); a transport offering less waits.</summary>
        public const int MinUsefulPayloadBytes = 11;

        private readonly IPendingPayloadSource _source;
        private readonly IClock _clock;
        private readonly IRandomSource _random;
        private readonly byte[] _payload;
        private readonly IUplinkTransport[] _transports = new IUplinkTransport[MaxTransports];
        private readonly int[] _cost = new int[MaxTransports];
        private readonly PayloadClass[] _lowestClass = new PayloadClass[MaxTransports];
        private readonly RetryBackoff[] _backoff = new RetryBackoff[MaxTransports];
        private readonly long[] _notBeforeMs = new long[MaxTransports];
        private readonly long[] _alarmNotBeforeMs = new long[MaxTransports];
        private int _count;
        private int _alarmPending; // this run: -1 not asked yet, 0 none, 1 an alarm waits

        /// <summary>Creates a scheduler draining <paramref name="source"/> with payloads of at most <paramref name="payloadCapacity"/> bytes.</summary>
        public UplinkScheduler(IPendingPayloadSource source, IClock clock, IRandomSource random, int payloadCapacity)
        {
            _source = source;
            _clock = clock;
            _random = random;
            _payload = new byte[payloadCapacity];
        }

        /// <summary>Most payloads handed over in one <see cref="RunOnce"/> (bounds the time awake). Default 8.</summary>
        public int MaxSendsPerRun = 8;

        /// <summary>
        /// Longest wait (ms) before an alarm retries a transport that failed for want of a link, whatever the backoff
        /// has grown to (full jitter below it). Backoff protects the network from reconnect storms of routine data; an
        /// alarm raised in an outage must go within minutes of the link's return, not after an hour's ceiling.
        /// Waits the transport itself demands (the dwell-time budget) still hold for alarms. Default 2 minutes.
        /// </summary>
        public long AlarmRetryCeilingMs = 120000;

        /// <summary>Payloads handed over since creation.</summary>
        public int HandedOverCount;

        /// <summary>Times a payload had to go to a later transport because an earlier one could not take it.</summary>
        public int FailoverCount;

        /// <summary>Name of the transport that took the last payload (null before the first).</summary>
        public string LastTransportName;

        /// <summary>Transports added.</summary>
        public int TransportCount
        {
            get { return _count; }
        }

        /// <summary>
        /// Adds a transport. Lower <paramref name="cost"/> is tried first (e.g. LoRaWAN 1, Wi-Fi MQTT 2, LTE-M MQTT 10).
        /// <paramref name="lowestClass"/> limits what it carries: <see cref="PayloadClass.Alarm"/> = alarms only (an
        /// expensive last resort), <see cref="PayloadClass.Backfill"/> = everything. Returns false when full.
        /// </summary>
        public bool AddTransport(IUplinkTransport transport, int cost, PayloadClass lowestClass, long backoffBaseMs, long backoffCapMs)
        {
            if (_count == MaxTransports || transport == null)
            {
                return false;
            }

            int i = _count;
            while (i > 0 && _cost[i - 1] > cost)
            {
                _transports[i] = _transports[i - 1];
                _cost[i] = _cost[i - 1];
                _lowestClass[i] = _lowestClass[i - 1];
                _backoff[i] = _backoff[i - 1];
                _notBeforeMs[i] = _notBeforeMs[i - 1];
                _alarmNotBeforeMs[i] = _alarmNotBeforeMs[i - 1];
                i--;
            }

            _transports[i] = transport;
            _cost[i] = cost;
            _lowestClass[i] = lowestClass;
            _backoff[i] = new RetryBackoff(backoffBaseMs, backoffCapMs, _random);
            _notBeforeMs[i] = 0;
            _alarmNotBeforeMs[i] = 0;
            _count++;
            return true;
        }

        /// <summary>Earliest wall time (ms) at which transport <paramref name="index"/> (in cost order) will be tried again.</summary>
        public long NotBeforeMs(int index)
        {
            return _notBeforeMs[index];
        }

        /// <summary>Transport <paramref name="index"/> in cost order.</summary>
        public IUplinkTransport Transport(int index)
        {
            return _transports[index];
        }

        /// <summary>Sends what can go now, highest priority first. Returns the number of payloads handed over.</summary>
        public int RunOnce()
        {
            int sent = 0;
            _alarmPending = -1;
            for (int c = (int)PayloadClass.Alarm; c <= (int)PayloadClass.Backfill; c++)
            {
                PayloadClass payloadClass = (PayloadClass)c;
                while (sent < MaxSendsPerRun)
                {
                    int outcome = SendOne(payloadClass);
                    if (outcome == SendNothingPending)
                    {
                        break; // next class
                    }

                    if (outcome == SendBlocked)
                    {
                        return sent; // nothing can carry this class now; lower classes must not overtake it
                    }

                    sent++;
                }
            }

            return sent;
        }

        private const int SendDone = 0;
        private const int SendNothingPending = 1;
        private const int SendBlocked = 2;

        private int SendOne(PayloadClass payloadClass)
        {
            bool triedEarlier = false;
            for (int i = 0; i < _count; i++)
            {
                if (payloadClass > _lowestClass[i])
                {
                    continue;
                }

                long notBefore = _notBeforeMs[i];
                if (payloadClass == PayloadClass.Alarm && _alarmNotBeforeMs[i] < notBefore && _clock.WallTimeMs >= _alarmNotBeforeMs[i] && AlarmPending())
                {
                    notBefore = _alarmNotBeforeMs[i];
                }

                if (_clock.WallTimeMs < notBefore)
                {
                    triedEarlier = true; // a cheaper transport is backing off
                    continue;
                }

                IUplinkTransport t = _transports[i];
                if (payloadClass == PayloadClass.Alarm && !t.IsAvailable)
                {
                    IUrgentReadiness urgent = t as IUrgentReadiness;
                    if (urgent != null && AlarmPending())
                    {
                        urgent.AlarmWaiting();
                    }
                }

                if (!t.IsAvailable && !t.EnsureReady())
                {
                    BackOff(i, _clock.WallTimeMs);
                    triedEarlier = true;
                    continue;
                }

                int max = t.MaxPayloadNow;
                if (max > _payload.Length)
                {
                    max = _payload.Length;
                }

                if (max < MinUsefulPayloadBytes)
                {
                    triedEarlier = true;
                    continue;
                }

                long token;
                int n = _source.Next(payloadClass, _payload, 0, max, out token);
                if (n <= 0)
                {
                    return SendNothingPending;
                }

                UplinkResult r = t.Send(_payload, 0, n, payloadClass);
                if (r.HandedOver)
                {
                    // The link works: whatever waits on this transport (routine data behind an alarm) may go now.
                    _backoff[i].Reset();
                    _notBeforeMs[i] = 0;
                    _alarmNotBeforeMs[i] = 0;
                    _source.OnHandedOver(token, payloadClass, t.Name);
                    if (payloadClass == PayloadClass.Alarm)
                    {
                        _alarmPending = -1; // ask again: that may have been the last one
                    }

                    HandedOverCount++;
                    LastTransportName = t.Name;
                    if (triedEarlier)
                    {
                        FailoverCount++;
                    }

                    return SendDone;
                }

                triedEarlier = true;
                long now = _clock.WallTimeMs;
                if (r.Status == UplinkStatus.RetryLater && r.RetryAtMs > now)
                {
                    // The transport's own demand (dwell-time budget): binding for alarms too.
                    _notBeforeMs[i] = r.RetryAtMs;
                    _alarmNotBeforeMs[i] = r.RetryAtMs;
                }
                else if (r.Status == UplinkStatus.RetryLater || r.Status == UplinkStatus.Unavailable || r.Status == UplinkStatus.Failed)
                {
                    BackOff(i, now);
                }

                // TooLarge: the next transport may take it, or the source re-encodes smaller on the next run.
            }

            return SendBlocked;
        }

        /// <summary>Whether an alarm is pending, asked of the source at most once a run.</summary>
        private bool AlarmPending()
        {
            if (_alarmPending < 0)
            {
                _alarmPending = _source.HasPending(PayloadClass.Alarm) ? 1 : 0;
            }

            return _alarmPending == 1;
        }

        /// <summary>Backs transport <paramref name="i"/> off after a failure: full jitter for everything, at most <see cref="AlarmRetryCeilingMs"/> for alarms.</summary>
        private void BackOff(int i, long now)
        {
            long delay = _backoff[i].NextDelayMs();
            _notBeforeMs[i] = now + delay;
            long alarmCeiling = AlarmRetryCeilingMs < 0 ? 0 : AlarmRetryCeilingMs;
            _alarmNotBeforeMs[i] = now + (delay <= alarmCeiling ? delay : SeededRandom.NextInclusive(_random, alarmCeiling));
        }
    }
}
