using System;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Control
{
    /// <summary>
    /// What the composition root keeps across a deep sleep beside the node's own state (which holds the event
    /// detector's cadence and alarm state): the LoRaWAN airtime ledger (durable-state key 17), the clock quality
    /// (key 19) and the cellular transport's bring-up backoff (key 20). Key 18 held the detector state before the node kept it; it is no longer written.
    /// Each is written only when it changed, so a quiet gateway does not wear the flash at every wake.
    /// </summary>
    public sealed class SleepState
    {
        /// <summary>Key of the airtime ledger (uplink session range 16–31; 16 is the node's).</summary>
        public const int BudgetKey = 17;

        /// <summary>Key of the clock quality.</summary>
        public const int ClockKey = 19;

        /// <summary>Key of the cellular transport's bring-up backoff (so no coverage costs one attach per backoff, not per wake).</summary>
        public const int CellularBackoffKey = 20;

        private readonly byte[] _cellular = new byte[SleepStateLimits.MaxBackoffBytes];
        private readonly byte[] _cellularSaved = new byte[SleepStateLimits.MaxBackoffBytes];

        private readonly DurableState _state;
        private readonly byte[] _buffer = new byte[DwellTimeBudget.StateSize];
        private readonly byte[] _saved = new byte[DwellTimeBudget.StateSize];
        private readonly byte[] _small = new byte[1];

        /// <summary>Opens the state on the flash store.</summary>
        public SleepState(IFlashStore store)
        {
            _state = new DurableState(store, DwellTimeBudget.StateSize);
        }

        /// <summary>The clock quality the last run knew (Unknown when none saved).</summary>
        public ClockQuality LoadClockQuality()
        {
            int length;
            return _state.TryLoad(ClockKey, _small, 0, out length) && length == 1 ? (ClockQuality)_small[0] : ClockQuality.Unknown;
        }

        /// <summary>Saves the clock quality when it changed.</summary>
        public void SaveClockQuality(ClockQuality quality)
        {
            if (LoadClockQuality() == quality)
            {
                return;
            }

            _small[0] = (byte)quality;
            _state.Save(ClockKey, _small, 0, 1);
        }

        /// <summary>Restores the airtime ledger; false when none was saved (a new ledger starts empty).</summary>
        public bool RestoreBudget(DwellTimeBudget budget, long nowMs)
        {
            int length;
            return _state.TryLoad(BudgetKey, _buffer, 0, out length) && budget.RestoreState(_buffer, 0, length, nowMs);
        }

        /// <summary>Saves the airtime ledger when it changed.</summary>
        public void SaveBudget(DwellTimeBudget budget)
        {
            int n = budget.SaveState(_buffer, 0);
            int length;
            if (_state.TryLoad(BudgetKey, _saved, 0, out length) && length == n && Same(_buffer, _saved, n))
            {
                return;
            }

            _state.Save(BudgetKey, _buffer, 0, n);
        }

        /// <summary>Restores the cellular bring-up backoff; false when none was saved.</summary>
        public bool RestoreCellularBackoff(IPersistentBackoff transport)
        {
            int length;
            return _state.TryLoad(CellularBackoffKey, _cellular, 0, out length) && transport.RestoreBackoff(_cellular, 0, length);
        }

        /// <summary>Saves the cellular bring-up backoff when it changed.</summary>
        public void SaveCellularBackoff(IPersistentBackoff transport)
        {
            int n = transport.SaveBackoff(_cellular, 0);
            int length;
            if (_state.TryLoad(CellularBackoffKey, _cellularSaved, 0, out length) && length == n && Same(_cellular, _cellularSaved, n))
            {
                return;
            }

            _state.Save(CellularBackoffKey, _cellular, 0, n);
        }

        private static bool Same(byte[] a, byte[] b, int n)
        {
            for (int i = 0; i < n; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
