using Gateway.Bindings.Sim7080;
using Gateway.Virtual.Time;

namespace Gateway.Virtual.Cellular
{
    /// <summary>The PWRKEY of a <see cref="VirtualSim7080"/>: a press advances the virtual clock by its hold time and tells the emulator.</summary>
    public sealed class VirtualModemPowerKey : IModemPowerKey
    {
        private readonly VirtualClock _clock;
        private readonly VirtualSim7080 _modem;

        /// <summary>Wires the key of <paramref name="modem"/> on <paramref name="clock"/>.</summary>
        public VirtualModemPowerKey(VirtualClock clock, VirtualSim7080 modem)
        {
            _clock = clock;
            _modem = modem;
        }

        /// <summary>Presses seen.</summary>
        public int Presses { get; private set; }

        /// <inheritdoc />
        public void Press(int holdMs)
        {
            Presses++;
            _clock.Advance(holdMs);
            _modem.PressPowerKey(holdMs);
        }
    }
}
