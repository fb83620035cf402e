using Gateway.Core.Codec;
using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Bindings.Rak3172
{
    /// <summary>
    /// LoRaWAN as an <see cref="IUplinkTransport"/> over the <see cref="Rak3172"/> driver: the payload limit of the
    /// current data rate under the AS923 dwell limit, the airtime ledger consulted before every frame, alarms sent as
    /// confirmed uplinks (configurable), downlinks passed up with their FPort. At a data rate whose frames carry no
    /// batch (AS923 DR2: 11 bytes) a batch goes as up to <see cref="FragmentsPerBatch"/> unconfirmed fragments on
    /// <see cref="BatchFragmenter.FragmentPort"/> (Codec/README.md §5.1), which the cloud reassembles.
    /// </summary>
    public sealed class Rak3172Transport : IUplinkTransport
    {
        private readonly Rak3172 _driver;
        private readonly DwellTimeBudget _budget;
        private readonly IClock _clock;

        /// <summary>Wraps a driver; <paramref name="budget"/> must be the ledger the driver charges.</summary>
        public Rak3172Transport(Rak3172 driver, DwellTimeBudget budget, IClock clock)
        {
            _driver = driver;
            _budget = budget;
            _clock = clock;
        }

        /// <summary>
        /// FPort for uplinks (1..223). Default <see cref="BatchFragmenter.BatchPort"/> (1): whole batches, as the codec
        /// README, the receiver and the network servers' payload decoder (tools/decoder-js) read them; fPort 2 carries
        /// DR2 fragments.
        /// </summary>
        public int Port = BatchFragmenter.BatchPort;

        /// <summary>True to send alarms as confirmed uplinks (network acknowledgement, costs a downlink). Default true.</summary>
        public bool ConfirmAlarms = true;

        /// <summary>
        /// Most fragments of one batch at DR2 (1..16; default 8). A lost fragment loses the whole batch (it is resent),
        /// so under loss p a batch of F fragments arrives with probability (1 − p)^F: 8 keeps about 43 % at 10 % loss
        /// while still carrying some 50 bytes of readings after the header and tag.
        /// </summary>
        public int FragmentsPerBatch = 8;

        /// <summary>Fragments sent (each one frame on the fragment port).</summary>
        public int FragmentsSent;

        private readonly byte[] _fragment = new byte[BatchFragmenter.FrameBytes];

        /// <summary>True when frames at the current data rate are too small for a batch: batches then go as fragments.</summary>
        public bool Fragmenting
        {
            get { int max = _driver.MaxPayloadBytes; return max > 0 && max <= BatchFragmenter.FrameBytes && Port == BatchFragmenter.BatchPort; }
        }

        /// <inheritdoc />
        public string Name
        {
            get { return "lorawan"; }
        }

        /// <inheritdoc />
        public bool IsAvailable
        {
            get { return _driver.IsJoined; }
        }

        /// <inheritdoc />
        public int MaxPayloadNow
        {
            get
            {
                int max = _driver.MaxPayloadBytes;
                if (!_driver.IsJoined || max <= 0)
                {
                    return 0;
                }

                if (Fragmenting)
                {
                    return FragmentedCapacity();
                }

                if (_budget == null)
                {
                    return max;
                }

                // Largest payload the airtime ledger allows now (frames shrink in steps of symbols; walk down).
                for (int n = max; n > 0; n--)
                {
                    if (_budget.Check(_driver.DataRate, n, _clock.WallTimeMs).Allowed)
                    {
                        return n;
                    }
                }

                return 0;
            }
        }

        /// <summary>
        /// The batch bytes that fit the fragments the airtime ledger allows now: the first frame may go now and the
        /// rolling hour (and day, with fair use) holds all of them.
        /// </summary>
        private int FragmentedCapacity()
        {
            int frames = FragmentsPerBatch < 1 ? 1 : FragmentsPerBatch > BatchFragmenter.MaxFragments ? BatchFragmenter.MaxFragments : FragmentsPerBatch;
            if (_budget != null)
            {
                long now = _clock.WallTimeMs;
                int dr = _driver.DataRate;
                if (!_budget.Check(dr, BatchFragmenter.FrameBytes, now).Allowed)
                {
                    return 0;
                }

                long frameUs = As923.UplinkMicroseconds(dr, BatchFragmenter.FrameBytes);
                long left = _budget.Settings.EffectiveHourlyLimitUs - _budget.UsedThisHourUs(now);
                if (_budget.Settings.DailyFairUseUs > 0 && _budget.Settings.DailyFairUseUs - _budget.UsedTodayUs(now) < left)
                {
                    left = _budget.Settings.DailyFairUseUs - _budget.UsedTodayUs(now);
                }

                long fit = left / frameUs;
                if (fit < frames)
                {
                    frames = (int)fit;
                }

                if (frames < 1)
                {
                    return 0;
                }
            }

            return BatchFragmenter.BudgetFor(frames);
        }

        /// <inheritdoc />
        public bool EnsureReady()
        {
            return _driver.EnsureJoined() == Rak3172Status.Ok;
        }

        /// <inheritdoc />
        public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
        {
            if (count > _driver.MaxPayloadBytes && Fragmenting)
            {
                return SendFragments(data, offset, count);
            }

            bool confirmed = ConfirmAlarms && payloadClass == PayloadClass.Alarm;
            return Result(_driver.Send(Port, data, offset, count, confirmed), confirmed);
        }

        /// <summary>
        /// One batch as fragments, in order, unconfirmed (the cloud's acknowledgement of the whole batch is what counts).
        /// A fragment that cannot go ends the batch: the fragments already sent are wasted and the batch goes again.
        /// </summary>
        private UplinkResult SendFragments(byte[] data, int offset, int count)
        {
            int n = BatchFragmenter.FragmentCount(count);
            if (n > BatchFragmenter.MaxFragments)
            {
                return new UplinkResult(UplinkStatus.TooLarge, 0);
            }

            for (int i = 0; i < n; i++)
            {
                int length = BatchFragmenter.WriteFragment(data, offset, count, i, _fragment, 0);
                Rak3172Status s = _driver.Send(BatchFragmenter.FragmentPort, _fragment, 0, length, false);
                if (s != Rak3172Status.Ok)
                {
                    return Result(s, false);
                }

                FragmentsSent++;
            }

            return new UplinkResult(UplinkStatus.Sent, 0);
        }

        private UplinkResult Result(Rak3172Status s, bool confirmed)
        {
            switch (s)
            {
                case Rak3172Status.Ok:
                    return new UplinkResult(confirmed ? UplinkStatus.NetworkAcknowledged : UplinkStatus.Sent, 0);
                case Rak3172Status.BudgetExhausted:
                    return new UplinkResult(UplinkStatus.RetryLater, _driver.LastRefusal.EarliestMs == SendPermission.Never ? 0 : _driver.LastRefusal.EarliestMs);
                case Rak3172Status.Busy:
                    return new UplinkResult(UplinkStatus.RetryLater, _clock.WallTimeMs + 3000);
                case Rak3172Status.PayloadTooLarge:
                    return new UplinkResult(UplinkStatus.TooLarge, 0);
                case Rak3172Status.NotJoined:
                case Rak3172Status.Timeout:
                    return new UplinkResult(UplinkStatus.Unavailable, 0);
                default:
                    return new UplinkResult(UplinkStatus.Failed, 0);
            }
        }

        /// <inheritdoc />
        public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
        {
            int count;
            int next = _driver.NextDownlinkLength;
            if (next >= 0 && next <= capacity && _driver.TryTakeDownlink(buffer, offset, out channel, out count))
            {
                return count;
            }

            channel = 0;
            return -1;
        }
    }
}
