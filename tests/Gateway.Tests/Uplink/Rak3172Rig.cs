using System;
using Gateway.Bindings.Rak3172;
using Gateway.Core.Uplink;
using Gateway.Virtual.LoRa;
using Gateway.Virtual.Time;

namespace Gateway.Tests.Uplink
{
    /// <summary>A RAK3172 driver wired to the RUI3 emulator and a virtual LoRaWAN network, all in virtual time.</summary>
    internal sealed class Rak3172Rig
    {
        public const long T0 = 1_763_683_200_000;
        public const string DevEui = "70B3D57ED0061A2B";
        public const string JoinEui = "0000000000000001";
        public static readonly byte[] AppKey = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");

        public VirtualClock Clock { get; }
        public VirtualSerialLine Line { get; }
        public VirtualLoRaNetwork Network { get; }
        public VirtualRak3172 Module { get; }
        public DwellTimeBudget Budget { get; }
        public Rak3172Settings Settings { get; }
        public Rak3172 Driver { get; private set; }

        public Rak3172Rig(int seed = 1, double loss = 0, DwellTimeSettings? budget = null)
        {
            Clock = new VirtualClock(T0);
            Line = new VirtualSerialLine(Clock);
            Network = new VirtualLoRaNetwork(Clock, seed, loss);
            Module = new VirtualRak3172(Line, Network);
            Network.RegisterDevice(DevEui, JoinEui, AppKey);
            Budget = new DwellTimeBudget(budget ?? new DwellTimeSettings());
            Settings = new Rak3172Settings
            {
                DevEui = Convert.FromHexString(DevEui),
                JoinEui = Convert.FromHexString(JoinEui),
                AppKey = (byte[])AppKey.Clone(),
                DataRate = 3,
            };
            Driver = NewDriver(seed);
        }

        /// <summary>A fresh driver on the same module, as after the host's deep sleep (all host RAM lost).</summary>
        public Rak3172 NewDriver(int seed)
        {
            Driver = new Rak3172(Line, Clock, Settings, new SeededRandom((ulong)seed), Budget);
            return Driver;
        }
    }
}
