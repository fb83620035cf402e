namespace Gateway.Core.Uplink
{
    /// <summary>
    /// Airtime ledger for the Japanese 920 MHz band rules: at most 400 ms a transmission, at most 360 s of transmission
    /// in any rolling hour (less a safety margin), a pause between transmissions, and an optional daily fair-use budget
    /// for public networks. Answers "may I send N bytes at DR x now? if not, when?".
    /// </summary>
    /// <remarks>
    /// Fixed-size state: a ring of 61 one-minute buckets (the rolling hour) and 25 one-hour buckets (the rolling day) of
    /// transmitted microseconds. A transmission is charged to the bucket it starts in and forgotten only when that whole
    /// bucket is older than the window, so the ledger may over-count by up to one bucket but never under-counts.
    /// Times are milliseconds on one continuous time base that the caller keeps across deep sleep (wall time when known,
    /// or uptime plus the time slept). If that time ever goes backwards, nothing is forgotten (conservative).
    /// Asking and recording allocate nothing; <see cref="SaveState"/>/<see cref="RestoreState"/> keep it across deep
    /// sleep in <see cref="StateSize"/> bytes.
    /// </remarks>
    public sealed class DwellTimeBudget
    {
        private const int MinuteBuckets = 61;
        private const int HourBuckets = 25;
        private const long MinuteMs = 60000;
        private const long HourMs = 3600000;
        private const byte StateVersion = 1;

        /// <summary>Bytes of the serialized state (version, times, buckets, checksum).</summary>
        public const int StateSize = 1 + 8 + 8 + 8 + (MinuteBuckets * 4) + (HourBuckets * 4) + 2;

        private readonly DwellTimeSettings _settings;
        private readonly int[] _minuteUs = new int[MinuteBuckets];
        private readonly int[] _hourUs = new int[HourBuckets];
        private long _currentMinute;
        private long _currentHour;
        private long _lastEndMs;

        /// <summary>Creates an empty ledger enforcing <paramref name="settings"/>.</summary>
        public DwellTimeBudget(DwellTimeSettings settings)
        {
            _settings = settings ?? new DwellTimeSettings();
            _lastEndMs = long.MinValue / 2;
        }

        /// <summary>The rules this ledger enforces.</summary>
        public DwellTimeSettings Settings
        {
            get { return _settings; }
        }

        // ---------------------------------------------------------------- questions

        /// <summary>
        /// May an uplink of <paramref name="applicationPayloadBytes"/> be sent at AS923 data rate
        /// <paramref name="dataRate"/> at <paramref name="nowMs"/>? If not, when (or never)?
        /// </summary>
        public SendPermission Check(int dataRate, int applicationPayloadBytes, long nowMs)
        {
            SendPermission p;
            p.Allowed = false;
            p.EarliestMs = SendPermission.Never;
            p.AirtimeUs = -1;
            if (As923.SpreadingFactor(dataRate) < 0)
            {
                p.Limit = BudgetLimit.UnknownDataRate;
                return p;
            }

            if (applicationPayloadBytes < 0 || applicationPayloadBytes > As923.MaxApplicationPayload(dataRate, _settings.UplinkDwellLimit))
            {
                p.Limit = BudgetLimit.PayloadTooLarge;
                p.AirtimeUs = As923.UplinkMicroseconds(dataRate, applicationPayloadBytes < 0 ? 0 : applicationPayloadBytes);
                return p;
            }

            return CheckAirtime(As923.UplinkMicroseconds(dataRate, applicationPayloadBytes), nowMs);
        }

        /// <summary>May a transmission lasting <paramref name="airtimeUs"/> start at <paramref name="nowMs"/>? If not, when?</summary>
        public SendPermission CheckAirtime(long airtimeUs, long nowMs)
        {
            SendPermission p;
            p.AirtimeUs = airtimeUs;
            p.Allowed = false;
            p.EarliestMs = SendPermission.Never;
            if (airtimeUs < 0 || airtimeUs > _settings.MaxTransmissionUs)
            {
                p.Limit = BudgetLimit.TransmissionTooLong;
                return p;
            }

            Advance(nowMs);
            long earliest = nowMs;
            BudgetLimit limit = BudgetLimit.None;

            long pauseEnd = _lastEndMs + _settings.MinPauseMs;
            if (pauseEnd > earliest)
            {
                earliest = pauseEnd;
                limit = BudgetLimit.Pause;
            }

            long hourly = EarliestWithin(_minuteUs, MinuteBuckets, _currentMinute, MinuteMs, _settings.EffectiveHourlyLimitUs, airtimeUs);
            if (hourly > earliest)
            {
                earliest = hourly;
                limit = BudgetLimit.HourlyBudget;
            }

            if (_settings.DailyFairUseUs > 0)
            {
                long daily = EarliestWithin(_hourUs, HourBuckets, _currentHour, HourMs, _settings.DailyFairUseUs, airtimeUs);
                if (daily > earliest)
                {
                    earliest = daily;
                    limit = BudgetLimit.DailyFairUse;
                }
            }

            p.EarliestMs = earliest;
            p.Limit = limit;
            p.Allowed = limit == BudgetLimit.None;
            return p;
        }

        /// <summary>Microseconds transmitted in the rolling hour ending at <paramref name="nowMs"/> (bucket-rounded, never less than true).</summary>
        public long UsedThisHourUs(long nowMs)
        {
            Advance(nowMs);
            return Sum(_minuteUs);
        }

        /// <summary>Microseconds transmitted in the rolling 24 hours ending at <paramref name="nowMs"/> (bucket-rounded).</summary>
        public long UsedTodayUs(long nowMs)
        {
            Advance(nowMs);
            return Sum(_hourUs);
        }

        // ---------------------------------------------------------------- recording

        /// <summary>
        /// Charges one transmission (an uplink, each retransmission of a confirmed uplink, a join request) that started
        /// at <paramref name="startMs"/> and lasted <paramref name="airtimeUs"/>.
        /// </summary>
        public void Record(long startMs, long airtimeUs)
        {
            if (airtimeUs <= 0)
            {
                return;
            }

            Advance(startMs);
            int m = (int)Mod(_currentMinute, MinuteBuckets);
            int h = (int)Mod(_currentHour, HourBuckets);
            _minuteUs[m] = AddClamped(_minuteUs[m], airtimeUs);
            _hourUs[h] = AddClamped(_hourUs[h], airtimeUs);
            long end = startMs + ((airtimeUs + 999) / 1000);
            if (end > _lastEndMs)
            {
                _lastEndMs = end;
            }
        }

        /// <summary>Forgets every transmission (a new installation, not a wake from sleep).</summary>
        public void Clear()
        {
            for (int i = 0; i < MinuteBuckets; i++)
            {
                _minuteUs[i] = 0;
            }

            for (int i = 0; i < HourBuckets; i++)
            {
                _hourUs[i] = 0;
            }

            _lastEndMs = long.MinValue / 2;
        }

        // ---------------------------------------------------------------- deep sleep

        /// <summary>Writes the ledger into <paramref name="buffer"/> at <paramref name="offset"/>; returns <see cref="StateSize"/>.</summary>
        public int SaveState(byte[] buffer, int offset)
        {
            int o = offset;
            buffer[o++] = StateVersion;
            o = PutInt64(buffer, o, _currentMinute);
            o = PutInt64(buffer, o, _currentHour);
            o = PutInt64(buffer, o, _lastEndMs);
            for (int i = 0; i < MinuteBuckets; i++)
            {
                o = PutInt32(buffer, o, _minuteUs[i]);
            }

            for (int i = 0; i < HourBuckets; i++)
            {
                o = PutInt32(buffer, o, _hourUs[i]);
            }

            ushort sum = Fletcher16(buffer, offset, o - offset);
            buffer[o++] = (byte)sum;
            buffer[o++] = (byte)(sum >> 8);
            return o - offset;
        }

        /// <summary>
        /// Restores a ledger saved by <see cref="SaveState"/>. Returns false (and leaves the ledger conservatively full
        /// for the next hour and day from <paramref name="nowMs"/>) when the bytes are damaged or of another version.
        /// </summary>
        public bool RestoreState(byte[] buffer, int offset, int count, long nowMs)
        {
            if (buffer == null || count < StateSize || offset < 0 || offset + StateSize > buffer.Length
                || buffer[offset] != StateVersion
                || Fletcher16(buffer, offset, StateSize - 2) != (ushort)(buffer[offset + StateSize - 2] | (buffer[offset + StateSize - 1] << 8)))
            {
                AssumeFull(nowMs);
                return false;
            }

            int o = offset + 1;
            _currentMinute = GetInt64(buffer, o);
            _currentHour = GetInt64(buffer, o + 8);
            _lastEndMs = GetInt64(buffer, o + 16);
            o += 24;
            for (int i = 0; i < MinuteBuckets; i++, o += 4)
            {
                _minuteUs[i] = GetInt32(buffer, o);
            }

            for (int i = 0; i < HourBuckets; i++, o += 4)
            {
                _hourUs[i] = GetInt32(buffer, o);
            }

            return true;
        }

        // ---------------------------------------------------------------- internals

        private void AssumeFull(long nowMs)
        {
            Clear();
            _currentMinute = FloorDiv(nowMs, MinuteMs);
            _currentHour = FloorDiv(nowMs, HourMs);
            _minuteUs[(int)Mod(_currentMinute, MinuteBuckets)] = AddClamped(0, _settings.HourlyLimitUs);
            _hourUs[(int)Mod(_currentHour, HourBuckets)] = AddClamped(0, _settings.DailyFairUseUs > 0 ? _settings.DailyFairUseUs : _settings.HourlyLimitUs);
        }

        /// <summary>Moves the rings to the bucket of <paramref name="nowMs"/>, clearing buckets that left the window.</summary>
        private void Advance(long nowMs)
        {
            _currentMinute = AdvanceRing(_minuteUs, _currentMinute, FloorDiv(nowMs, MinuteMs));
            _currentHour = AdvanceRing(_hourUs, _currentHour, FloorDiv(nowMs, HourMs));
        }

        /// <summary>Clears the buckets of the periods after <paramref name="current"/> up to <paramref name="target"/>; returns the new current period.</summary>
        private static long AdvanceRing(int[] buckets, long current, long target)
        {
            if (target <= current)
            {
                return current; // same period, or time went backwards: forget nothing
            }

            long steps = target - current;
            if (steps > buckets.Length)
            {
                steps = buckets.Length;
            }

            for (long s = 1; s <= steps; s++)
            {
                buckets[(int)Mod(target - steps + s, buckets.Length)] = 0;
            }

            return target;
        }

        /// <summary>
        /// Earliest time at which used + airtime fits the limit, walking buckets from the oldest as they expire.
        /// Bucket b (index of its period) expires at (b + count) * periodMs.
        /// </summary>
        private static long EarliestWithin(int[] buckets, int count, long current, long periodMs, long limitUs, long airtimeUs)
        {
            if (airtimeUs > limitUs)
            {
                return SendPermission.Never;
            }

            long used = Sum(buckets);
            if (used + airtimeUs <= limitUs)
            {
                return long.MinValue;
            }

            for (long b = current - count + 1; b <= current; b++)
            {
                used -= buckets[(int)Mod(b, count)];
                if (used + airtimeUs <= limitUs)
                {
                    return (b + count) * periodMs;
                }
            }

            return (current + count) * periodMs;
        }

        private static long Sum(int[] buckets)
        {
            long sum = 0;
            for (int i = 0; i < buckets.Length; i++)
            {
                sum += buckets[i];
            }

            return sum;
        }

        private static int AddClamped(int bucket, long add)
        {
            long v = bucket + add;
            return v > int.MaxValue ? int.MaxValue : (int)v;
        }

        private static long FloorDiv(long a, long b)
        {
            long q = a / b;
            return (a % b != 0 && a < 0) ? q - 1 : q;
        }

        private static long Mod(long a, long m)
        {
            long r = a % m;
            return r < 0 ? r + m : r;
        }

        private static int PutInt64(byte[] b, int o, long v)
        {
            for (int i = 0; i < 8; i++)
            {
                b[o + i] = (byte)(v >> (8 * i));
            }

            return o + 8;
        }

        private static int PutInt32(byte[] b, int o, int v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
            b[o + 2] = (byte)(v >> 16);
            b[o + 3] = (byte)(v >> 24);
            return o + 4;
        }

        private static long GetInt64(byte[] b, int o)
        {
            long v = 0;
            for (int i = 7; i >= 0; i--)
            {
                v = (v << 8) | b[o + i];
            }

            return v;
        }

        private static int GetInt32(byte[] b, int o)
        {
            return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
        }

        private static ushort Fletcher16(byte[] b, int offset, int count)
        {
            int s1 = 0;
            int s2 = 0;
            for (int i = 0; i < count; i++)
            {
                s1 = (s1 + b[offset + i]) % 255;
                s2 = (s2 + s1) % 255;
            }

            return (ushort)((s2 << 8) | s1);
        }
    }
}
