using Gateway.Core.Codec;
using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Bindings.Rak3172
{
    /// <summary>
    /// LoRaWAN as an <see cref="IUplinkTransport"/> over the <see cref="Rak3172"/> driver: the payload limit of the
    /// current data rate under the AS923 dwell limit, the airtime ledger consulted before every frame, alarms sent as
    /// confirmed uplinks (configurable), downlinks passed up with their FPort.
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

        /// <inheritdoc />
        public bool EnsureReady()
        {
            return _driver.EnsureJoined() == Rak3172Status.Ok;
        }

        /// <inheritdoc />
        public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
        {
            bool confirmed = ConfirmAlarms && payloadClass == PayloadClass.Alarm;
            Rak3172Status s = _driver.Send(Port, data, offset, count, confirmed);
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
