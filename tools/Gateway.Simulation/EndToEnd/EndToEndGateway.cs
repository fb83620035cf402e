using System;
using System.Collections.Generic;
using Gateway.Bindings.Rak3172;
using Gateway.Bindings.Ultrasonic;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.Virtual.Flash;
using Gateway.Virtual.LoRa;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Security;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;

namespace Gateway.Simulation.EndToEnd
{
    /// <summary>
    /// One river gateway for end-to-end uplink runs: the real firmware node over virtual flash and sensors, with any
    /// number of transports in cost order (as the device's composition root adds them), e.g. LoRaWAN through the
    /// RAK3172 emulator plus a cellular link limited to alarms, or MQTT through a real broker. No power cuts: the
    /// deployment simulator (<see cref="SimGateway"/>) covers those.
    /// </summary>
    public sealed class EndToEndGateway : INodeObserver, IWallClockSetter
    {
        private readonly SimScenario _scenario;
        private readonly Random _random;
        private readonly VirtualClock _world;
        private readonly VirtualSensorRig _rig;
        private readonly List<(IUplinkTransport Transport, int Cost, PayloadClass Lowest)> _transports = new();

        /// <summary>Creates the gateway; add transports, then <see cref="Boot"/>.</summary>
        public EndToEndGateway(uint deviceId, SimScenario scenario, int seed)
        {
            if (scenario.Physics.River is null)
            {
                throw new ArgumentException("end-to-end gateways watch a river", nameof(scenario));
            }

            _scenario = scenario;
            _random = new Random(seed);
            DeviceId = deviceId;
            Key = new byte[32];
            _random.NextBytes(Key);
            var start = scenario.Physics.StartUtc.ToUnixTimeMilliseconds();
            Clock = new VirtualClock(start, ClockQuality.Network);
            _world = new VirtualClock(start, ClockQuality.Network);
            Flash = new VirtualFlash(seed, 4096, PowerCutModel.LittleFs);
            _rig = new VirtualSensorRig(new ScenarioPlayer(scenario.Physics), _world);
            DevEui = (0x70B3D57ED0000000UL + deviceId).ToString("X16");
        }

        /// <summary>The device id.</summary>
        public uint DeviceId { get; }

        /// <summary>The provisioned key (key id 1).</summary>
        public byte[] Key { get; }

        /// <summary>The LoRaWAN DevEUI (hex).</summary>
        public string DevEui { get; }

        /// <summary>The device clock.</summary>
        public VirtualClock Clock { get; }

        /// <summary>The flash.</summary>
        public VirtualFlash Flash { get; }

        /// <summary>The firmware node (after <see cref="Boot"/>).</summary>
        public GatewayNode? Node { get; private set; }

        /// <summary>The LoRa module emulator, when a LoRaWAN transport was added.</summary>
        public VirtualRak3172? Module { get; private set; }

        /// <summary>Wall time of the next wake.</summary>
        public long NextWakeWallMs { get; private set; }

        /// <summary>Readings committed: sequence → (time, channel, value).</summary>
        public Dictionary<uint, (long TimeMs, ChannelId Channel, int Value)> Committed { get; } = new();

        /// <summary>Alarm events committed: sequence → (time, kind, level).</summary>
        public Dictionary<uint, (long TimeMs, EventKind Kind, AlarmLevel Level)> Alarms { get; } = new();

        /// <summary>Adds a transport; call before <see cref="Boot"/>.</summary>
        public void AddTransport(IUplinkTransport transport, int cost, PayloadClass lowestClass) => _transports.Add((transport, cost, lowestClass));

        /// <summary>Adds LoRaWAN (AS923, DR3) through a RAK3172 emulator registered on <paramref name="network"/>.</summary>
        public Rak3172Transport AddLoRa(VirtualLoRaNetwork network, int cost, PayloadClass lowestClass)
        {
            var transport = CreateLoRa(network);
            AddTransport(transport, cost, lowestClass);
            return transport;
        }

        /// <summary>Builds LoRaWAN (AS923, DR3) through a RAK3172 emulator on <paramref name="network"/> without adding it (to wrap it first).</summary>
        public Rak3172Transport CreateLoRa(VirtualLoRaNetwork network)
        {
            var line = new VirtualSerialLine(Clock);
            Module = new VirtualRak3172(line, network);
            var appKey = new byte[16];
            _random.NextBytes(appKey);
            const string joinEui = "70B3D57ED0000001";
            network.RegisterDevice(DevEui, joinEui, appKey, "gw-" + DeviceId);
            var settings = new Rak3172Settings { DataRate = 3 };
            ParseHex(DevEui, settings.DevEui);
            ParseHex(joinEui, settings.JoinEui);
            Array.Copy(appKey, settings.AppKey, 16);
            var budget = new DwellTimeBudget(new DwellTimeSettings());
            var driver = new Rak3172(line, Clock, settings, new SeededRandom((ulong)_random.Next() + 7), budget);
            driver.Initialize();
            return new Rak3172Transport(driver, budget, Clock);
        }

        /// <summary>Builds and boots the node over the flash, sensors and transports.</summary>
        public void Boot()
        {
            var ranger = new UartUltrasonicRanger(_rig.Ranger, _rig.Thermometer,
                new UltrasonicSettings { Output = RangerOutput.WaterLevel, ReferenceMm = (int)_scenario.Physics.Ranger.MountHeightMm }, sendTrigger: false);
            var sources = new ISensorSource[] { ranger };
            var chains = new[] { new FilterChain(new IReadingFilter[] { new StuckFilter(20), new SpikeFilter(300, 3) }) };
            var log = new RecordLog(Flash, new RecordLogSettings());
            var node = new GatewayNode(new NodeSettings { DeviceId = DeviceId }, Clock, this, new HostHmacSha256(1, Key), log, sources, chains,
                _scenario.Sensing, new SeededRandom((ulong)_random.Next() + 1))
            {
                Observer = this,
            };
            foreach (var (t, cost, lowest) in _transports)
            {
                node.AddTransport(t, cost, lowest);
            }

            Node = node;
            node.Boot();
            NextWakeWallMs = Clock.WallTimeMs;
        }

        /// <summary>Advances the device clock (and the world) to <paramref name="wallMs"/> if it is later.</summary>
        public void AdvanceTo(long wallMs)
        {
            var d = wallMs - Clock.WallTimeMs;
            if (d > 0)
            {
                Clock.Advance(d);
            }
        }

        /// <summary>Runs one wake at the scheduled time.</summary>
        public void Step()
        {
            AdvanceTo(NextWakeWallMs);
            SyncWorld();
            var nextUptime = Node!.RunCycle();
            NextWakeWallMs = Clock.WallTimeMs + Math.Max(1_000, nextUptime - Clock.UptimeMs);
        }

        private void SyncWorld()
        {
            var lag = Clock.WallTimeMs - _world.WallTimeMs;
            if (lag > 0)
            {
                _world.Advance(lag);
            }

            _rig.Sync();
        }

        /// <inheritdoc />
        void INodeObserver.OnReadingStored(uint sequence, ref Reading reading) => Committed[sequence] = (reading.TimeMs, reading.Channel, reading.Value);

        /// <inheritdoc />
        void INodeObserver.OnEventStored(uint sequence, ref SensingEvent e)
        {
            if (e.Priority == EventPriority.Alarm && e.Kind != EventKind.AlarmCleared && e.Kind != EventKind.RateCleared)
            {
                Alarms[sequence] = (e.TimeMs, e.Kind, e.Level);
            }
        }

        /// <inheritdoc />
        public void SetWallTime(long wallTimeMs, ClockQuality quality) => Clock.SetWallTime(wallTimeMs, quality);

        private static void ParseHex(string hex, byte[] into)
        {
            for (var i = 0; i < into.Length; i++)
            {
                into[i] = Convert.ToByte(hex.Substring(i * 2, 2), 16);
            }
        }
    }
}
