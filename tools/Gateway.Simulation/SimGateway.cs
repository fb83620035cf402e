using System;
using System.Collections.Generic;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Rak3172;
using Gateway.Bindings.Sim7080;
using Gateway.Bindings.Ultrasonic;
using Gateway.Control;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.Simulation.Energy;
using Gateway.Virtual.Cellular;
using Gateway.Virtual.Flash;
using Gateway.Virtual.LoRa;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Security;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;

namespace Gateway.Simulation
{
    /// <summary>
    /// One virtual gateway: its flash, sensors, radio module and the real firmware node over them. A power cut throws
    /// away everything in RAM (the node, the drivers) and boots a new node over the same flash, as the ESP32 would.
    /// Its uplinks: one transport a boot from the deployment's factory, and/or fixed transports in cost order
    /// (<see cref="AddTransport"/>, e.g. LoRaWAN plus a cellular link limited to alarms), as the composition root adds them.
    /// </summary>
    public sealed class SimGateway : INodeObserver, IWallClockSetter
    {
        private readonly SimScenario _scenario;
        private readonly Random _random;
        private readonly VirtualClock _world;
        private readonly VirtualSensorRig _rig;
        private readonly UltrasonicSettings _rangerSettings;
        private readonly InclinometerSettings _inclinometerSettings = new() { CountsPerG = 256, Oversample = 64 };
        private readonly Func<SimGateway, IUplinkTransport>? _transportFactory;
        private readonly List<(IUplinkTransport Transport, int Cost, PayloadClass Lowest)> _fixedTransports = new();
        private readonly long _startWallMs;
        private bool _zeroSet;

        /// <summary>Creates gateway number <paramref name="index"/> of a deployment (device id 1000 + index, starts staggered); it boots on the first <see cref="Step"/>.</summary>
        public SimGateway(int index, SimScenario scenario, int seed, Func<SimGateway, IUplinkTransport> transportFactory)
            : this(1000u + (uint)index, scenario, seed, index * 7_919L, transportFactory)
        {
        }

        /// <summary>Creates a gateway whose uplinks are the transports added with <see cref="AddTransport"/> (before <see cref="Boot"/>).</summary>
        public SimGateway(uint deviceId, SimScenario scenario, int seed)
            : this(deviceId, scenario, seed, 0, null)
        {
        }

        private SimGateway(uint deviceId, SimScenario scenario, int seed, long startOffsetMs, Func<SimGateway, IUplinkTransport>? transportFactory)
        {
            _scenario = scenario;
            _random = new Random(seed);
            DeviceId = deviceId;
            Key = new byte[32];
            _random.NextBytes(Key);
            Player = new ScenarioPlayer(scenario.Physics);
            _startWallMs = scenario.Physics.StartUtc.ToUnixTimeMilliseconds() + startOffsetMs;
            Clock = new VirtualClock(_startWallMs, ClockQuality.Network);
            _world = new VirtualClock(_startWallMs, ClockQuality.Network);
            Flash = new VirtualFlash(seed, 4096, PowerCutModel.LittleFs);
            _rig = new VirtualSensorRig(Player, _world);
            _rangerSettings = new UltrasonicSettings
            {
                Output = scenario.Physics.Snow != null ? RangerOutput.SnowDepth : RangerOutput.WaterLevel,
                ReferenceMm = (int)scenario.Physics.Ranger.MountHeightMm,
            };
            _transportFactory = transportFactory;
            DevEui = (0x70B3D57ED0000000UL + DeviceId).ToString("X16");
        }

        /// <summary>The gateway's device id.</summary>
        public uint DeviceId { get; }

        /// <summary>Its provisioned key.</summary>
        public byte[] Key { get; }

        /// <summary>Its LoRaWAN DevEUI (hex).</summary>
        public string DevEui { get; }

        /// <summary>The device clock (reboots at power cuts; the wall time carries on).</summary>
        public VirtualClock Clock { get; }

        /// <summary>The scenario physics.</summary>
        public ScenarioPlayer Player { get; }

        /// <summary>The flash.</summary>
        public VirtualFlash Flash { get; }

        /// <summary>The firmware node now running.</summary>
        public GatewayNode? Node { get; private set; }

        /// <summary>The transport now in use.</summary>
        public IUplinkTransport? Transport { get; private set; }

        /// <summary>Every transport instance used (a new one each boot: drivers live in RAM).</summary>
        public List<IUplinkTransport> Transports { get; } = new();

        /// <summary>The LoRa module emulator, when the gateway uses LoRaWAN.</summary>
        public VirtualRak3172? Module { get; set; }

        /// <summary>The serial line to the LoRa module.</summary>
        public VirtualSerialLine? Line { get; set; }

        /// <summary>
        /// The SIM7080G emulator, when the gateway uses cellular through the real driver. It is powered from VBAT and
        /// keeps running across the ESP32's power cuts (a brown-out or reset of the ESP32 does not reset it): a new
        /// driver adopts it at every boot.
        /// </summary>
        public VirtualSim7080? Modem { get; private set; }

        /// <summary>The serial line (UART) to the cellular modem.</summary>
        public VirtualSerialLine? ModemLine { get; private set; }

        /// <summary>The modem's PWRKEY (presses counted).</summary>
        public VirtualModemPowerKey? ModemPowerKey { get; private set; }

        /// <summary>What the device keeps in durable state across a deep sleep or a power cut (here: the cellular transport's).</summary>
        public SleepState SleepState => _sleepState ??= new SleepState(Flash);

        private SleepState? _sleepState;

        /// <summary>The LoRaWAN airtime budget (persisted across boots, as on the device).</summary>
        public DwellTimeBudget Budget { get; } = new(new DwellTimeSettings());

        /// <summary>Wall time of the next wake.</summary>
        public long NextWakeWallMs { get; private set; }

        /// <summary>Readings committed: sequence → (time, channel).</summary>
        public Dictionary<uint, (long TimeMs, ChannelId Channel, int Value)> Committed { get; } = new();

        /// <summary>Alarms raised: sequence → (time, kind, level).</summary>
        public Dictionary<uint, (long TimeMs, EventKind Kind, AlarmLevel Level)> Alarms { get; } = new();

        /// <summary>Cadence changes: wall time, new cadence ms.</summary>
        public List<(long TimeMs, int CadenceMs)> CadenceChanges { get; } = new();

        /// <summary>True value at each sample: wall time, value.</summary>
        public List<(long TimeMs, double Value)> Truth { get; } = new();

        /// <summary>Power cuts done: wall time.</summary>
        public List<long> PowerCutTimes { get; } = new();

        /// <summary>Readings whose commit a power cut interrupted (at risk, by design at most the setting).</summary>
        public int ReadingsInterrupted { get; private set; }

        /// <summary>Boots so far.</summary>
        public int Boots { get; private set; }

        /// <summary>The AS923 data rate its RAK3172 is set to (3 unless the deployment placed it: <see cref="Link"/>).</summary>
        public int DataRate { get; set; } = 3;

        /// <summary>Its placement and radio link, when the deployment placed it (ADR).</summary>
        public GatewayLink? Link { get; set; }
        /// <summary>The gateway's charge account (null until <see cref="AttachEnergy"/>).</summary>
        public EnergyMeter? Energy { get; private set; }

        /// <summary>The autonomy governor of the node now running.</summary>
        public AutonomyGovernor? Governor => Node?.Governor;

        /// <summary>Governor steps entered over the run, by the wake's wall time (the first entry is the start).</summary>
        public List<(long TimeMs, int Step)> GovernorSteps { get; } = new();

        /// <summary>
        /// Starts the charge account on <paramref name="supply"/> (before the first boot). With <paramref name="batteryChannel"/>
        /// the node also samples the battery divider (the real <see cref="SupplyVoltageMonitor"/> over a virtual ADC), and
        /// its autonomy governor follows the supply.
        /// </summary>
        public void AttachEnergy(CurrentProfile profile, PowerSupply supply, bool lora, bool cellular, bool batteryChannel)
        {
            _batteryChannel = batteryChannel;
            Energy = new EnergyMeter(profile, supply, lora, cellular, ultrasonic: _scenario.Physics.Slope == null, inclinometer: _scenario.Physics.Slope != null,
                solar: supply is SolarKit, startWallMs: _startWallMs);
        }

        /// <summary>Closes the charge account at <paramref name="wallMs"/> (the end of the run).</summary>
        public void CloseEnergy(long wallMs)
        {
            Energy?.Between(wallMs, CurrentModemState(), SupplyMillivolts(wallMs), CelsiusAt);
        }

        private bool _batteryChannel;

        /// <summary>Air temperature at the site at a wall time, °C.</summary>
        public double CelsiusAt(long wallMs) => Player.AirCelsius(Math.Max(0, wallMs - _startWallMs));

        private double SupplyMillivolts(long wallMs) => Energy?.Supply.Millivolts(CelsiusAt(wallMs)) ?? 3600;

        private ModemState CurrentModemState() => Modem is null || !Modem.PoweredOn ? ModemState.Off : ModemState.Idle;

        /// <summary>Adds a fixed transport (kept across boots) with its cost and the lowest payload class it carries; call before the first boot.</summary>
        public void AddTransport(IUplinkTransport transport, int cost, PayloadClass lowestClass) => _fixedTransports.Add((transport, cost, lowestClass));

        /// <summary>Builds LoRaWAN (AS923, <see cref="DataRate"/>) through this gateway's RAK3172 emulator on <paramref name="network"/> without adding it (to wrap it first).</summary>
        public IUplinkTransport CreateLoRa(VirtualLoRaNetwork network) => LoRaTransport(network);

        /// <summary>Adds LoRaWAN (AS923, <see cref="DataRate"/>) through this gateway's RAK3172 emulator on <paramref name="network"/> as a fixed transport.</summary>
        public IUplinkTransport AddLoRa(VirtualLoRaNetwork network, int cost, PayloadClass lowestClass)
        {
            var t = LoRaTransport(network);
            AddTransport(t, cost, lowestClass);
            return t;
        }

        /// <summary>Boots the node now (otherwise the first <see cref="Step"/> does).</summary>
        public void Boot()
        {
            if (Node is null)
            {
                BootNode();
            }
        }

        /// <summary>Advances the device clock to <paramref name="wallMs"/> if it is later.</summary>
        public void AdvanceTo(long wallMs)
        {
            var d = wallMs - Clock.WallTimeMs;
            if (d > 0)
            {
                Clock.Advance(d);
            }
        }

        /// <summary>Runs one wake at the scheduled time (advancing the device clock to it if it is behind).</summary>
        public void Step()
        {
            if (Node is null)
            {
                BootNode();
            }

            AdvanceTo(NextWakeWallMs);

            SyncWorld();
            var node = Node!;
            long startWall = Clock.WallTimeMs;
            int cycles = node.Pipeline.Cycles;
            int tx = Module?.Transmissions.Count ?? 0;
            int attaches = Modem?.Attaches ?? 0;
            int publishes = Modem?.Publishes ?? 0;
            int presses = Modem?.PowerKeyPresses ?? 0;
            var modemBefore = CurrentModemState();
            try
            {
                var nextUptime = node.RunCycle();
                if (nextUptime - Clock.UptimeMs >= NodeSettings.DeepSleepThresholdMs && Transport is Sim7080Transport cellular)
                {
                    // The device's deep-sleep path (GatewayComposition.Suspend): the modem is put to sleep or switched
                    // off by the same transport call, and its state kept in the same durable state for the next boot.
                    cellular.Suspend(nextUptime - Clock.UptimeMs);
                    SleepState.SaveCellularBackoff(cellular);
                }

                NextWakeWallMs = Clock.WallTimeMs + Math.Max(1_000, nextUptime - Clock.UptimeMs);
                if (Energy != null)
                {
                    var airtimes = new List<long>();
                    for (var i = tx; i < (Module?.Transmissions.Count ?? 0); i++)
                    {
                        airtimes.Add(Module!.Transmissions[i].airtimeUs);
                    }

                    Energy.Wake(startWall, Clock.WallTimeMs, NextWakeWallMs, node.Pipeline.Cycles - cycles, airtimes,
                        (Modem?.Attaches ?? 0) - attaches, (Modem?.Publishes ?? 0) - publishes, modemBefore,
                        modemBefore != ModemState.Off || CurrentModemState() != ModemState.Off || (Modem?.PowerKeyPresses ?? 0) != presses ? ModemState.Idle : ModemState.Off,
                        SupplyMillivolts(startWall), CelsiusAt(startWall));
                }

                if (node.Governor != null && (GovernorSteps.Count == 0 || GovernorSteps[^1].Step != node.Governor.Step))
                {
                    GovernorSteps.Add((Clock.WallTimeMs, node.Governor.Step));
                }
            }
            catch (PowerCutException)
            {
                PowerCut(interrupted: true);
            }
        }

        /// <summary>Cuts the power now: the next flash writes fail (torn or whole), and the gateway reboots.</summary>
        public void CutPower()
        {
            Flash.ArmCut(_random.Next(1, 4), torn: _random.Next(2) == 0);
            try
            {
                SyncWorld();
                Node?.RunCycle();
                Flash.Disarm();
                PowerCut(interrupted: false);
            }
            catch (PowerCutException)
            {
                PowerCut(interrupted: true);
            }
        }

        private void PowerCut(bool interrupted)
        {
            PowerCutTimes.Add(Clock.WallTimeMs);
            if (interrupted)
            {
                ReadingsInterrupted++;
            }

            Flash.PowerOn();
            Energy?.Reset();
            Node = null;
            Clock.Reboot(keepWallTime: true);
            BootNode();
            NextWakeWallMs = Clock.WallTimeMs + 1_000;
        }

        private void BootNode()
        {
            var ranger = new UartUltrasonicRanger(_rig.Ranger, _rig.Thermometer, _rangerSettings, sendTrigger: false);
            ISensorSource[] sources;
            FilterChain[] chains;
            if (_scenario.Physics.Slope != null)
            {
                var incl = new Inclinometer(_rig.Accelerometer, _inclinometerSettings);
                if (!_zeroSet)
                {
                    SyncWorld();
                    incl.SetZeroHere();
                    _zeroSet = true;
                }

                sources = new ISensorSource[] { incl.Pitch, incl.Roll };
                chains = new[] { StandardFilters.For(incl.Pitch.Channel), StandardFilters.For(incl.Roll.Channel) };
            }
            else
            {
                sources = new ISensorSource[] { ranger };
                chains = new[] { StandardFilters.For(ranger.Channel) };
            }

            if (_batteryChannel && Energy != null)
            {
                // The battery divider (100 kΩ / 100 kΩ) into the ADC: the supply's voltage at the site's temperature.
                var adc = new VirtualAnalogInput(() => SupplyMillivolts(_world.WallTimeMs) / 2, 3300, (int)DeviceId);
                var battery = new SupplyVoltageMonitor(adc, new SupplyVoltageSettings());
                sources = [.. sources, battery];
                chains = [.. chains, StandardFilters.For(battery.Channel)];
            }

            var log = new RecordLog(Flash, new RecordLogSettings());
            if (_transportFactory != null)
            {
                Transport = _transportFactory(this);
                Transports.Add(Transport);
                if (Transport is Sim7080Transport cellular)
                {
                    // As GatewayComposition does at every boot: the backoff and whether the modem was switched off.
                    SleepState.RestoreCellularBackoff(cellular);
                }
            }

            var node = new GatewayNode(new NodeSettings { DeviceId = DeviceId }, Clock, this, new HostHmacSha256(1, Key), log, sources, chains,
                _scenario.Sensing, new SeededRandom((ulong)_random.Next() + 1))
            {
                Observer = this,
                Governor = new AutonomyGovernor { PrimaryCell = Energy?.Supply.Primary == true },
            };
            if (_transportFactory != null)
            {
                node.AddTransport(Transport!, 1, PayloadClass.Backfill);
            }

            foreach (var (t, cost, lowest) in _fixedTransports)
            {
                node.AddTransport(t, cost, lowest);
            }

            Node = node;
            Boots++;
            node.Boot();
            NextWakeWallMs = Clock.WallTimeMs;
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
        void INodeObserver.OnReadingStored(uint sequence, ref Reading reading)
        {
            Committed[sequence] = (reading.TimeMs, reading.Channel, reading.Value);
            // The truth at the reading's own time: a pre-trigger burst commits readings measured minutes before.
            var t = Math.Max(0, _world.UptimeMs - (_world.WallTimeMs - reading.TimeMs));
            var truth = _scenario.Physics.Slope != null ? Player.PitchDegrees(t) * 1000
                : _scenario.Physics.Snow != null ? Player.SnowDepthMm(t) : Player.LevelMm(t);
            if (reading.Channel is ChannelId.WaterLevelMillimeters or ChannelId.SnowDepthMillimeters or ChannelId.TiltXMillidegrees)
            {
                Truth.Add((reading.TimeMs, truth));
            }
        }

        /// <inheritdoc />
        void INodeObserver.OnEventStored(uint sequence, ref SensingEvent e)
        {
            if (e.Kind == EventKind.AlarmRaised || (e.Priority == EventPriority.Alarm && e.Kind != EventKind.AlarmCleared && e.Kind != EventKind.RateCleared))
            {
                Alarms[sequence] = (e.TimeMs, e.Kind, e.Level);
            }

            if (e.Kind == EventKind.CadenceChanged)
            {
                CadenceChanges.Add((e.TimeMs, e.CadenceMs));
            }
        }

        /// <inheritdoc />
        public void SetWallTime(long wallTimeMs, ClockQuality quality) => Clock.SetWallTime(wallTimeMs, quality);

        /// <summary>Builds the LoRaWAN transport over this gateway's module (called at every boot: the driver is in RAM).</summary>
        public IUplinkTransport LoRaTransport(VirtualLoRaNetwork network)
        {
            if (Module is null)
            {
                Line = new VirtualSerialLine(Clock);
                Module = new VirtualRak3172(Line, network);
                var appKey = new byte[16];
                _random.NextBytes(appKey);
                network.RegisterDevice(DevEui, "70B3D57ED0000001", appKey, "gw-" + DeviceId);
                if (Link is not null)
                {
                    network.SetLink(DevEui, Link.MeanRssiDbm, Link.MeanSnrDb, LinkPlanner.FadingSigmaDb);
                }

                _appKey = appKey;
            }

            var settings = new Rak3172Settings { DataRate = DataRate };
            Convert.FromHexString(DevEui).CopyTo(settings.DevEui, 0);
            Convert.FromHexString("70B3D57ED0000001").CopyTo(settings.JoinEui, 0);
            Array.Copy(_appKey!, settings.AppKey, 16);
            var driver = new Rak3172(Line!, Clock, settings, new SeededRandom((ulong)_random.Next() + 7), Budget);

            // As the composition root does on every wake: check the module's settings (writes only what differs).
            driver.Initialize();
            return new Rak3172Transport(driver, Budget, Clock);
        }

        private byte[]? _appKey;

        /// <summary>
        /// Builds MQTT over LTE-M through the real SIM7080G driver (<see cref="Sim7080Transport"/>) over a virtual UART to
        /// this gateway's modem emulator, creating the modem on the first call with <paramref name="mqttSide"/> behind it
        /// and <paramref name="coverage"/> as its coverage at a wall time (null: always). Called at every boot: the
        /// driver lives in RAM, the modem keeps running.
        /// </summary>
        public Sim7080Transport CellularTransport(IModemMqttSide mqttSide, Func<long, bool>? coverage, string brokerHost = "mqtt.sim.invalid", int brokerPort = 1883,
            string? user = null, string? password = null, string clientId = "")
        {
            if (Modem is null)
            {
                ModemLine = new VirtualSerialLine(Clock);
                Modem = new VirtualSim7080(ModemLine, _random.Next(), mqttSide) { CoverageSchedule = coverage, RecordCommands = false };
                ModemPowerKey = new VirtualModemPowerKey(Clock, Modem);
            }

            var settings = new Sim7080Settings
            {
                Apn = "soracom.io",
                ApnUser = "sora",
                ApnPassword = "sora",
                BrokerHost = brokerHost,
                BrokerPort = brokerPort,
                UseTls = false,
                DeviceId = DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                MqttUser = user ?? "",
                MqttPassword = password ?? "",
                ClientId = clientId,
                NetworkMode = CellularNetworkMode.CatM,
            };
            return new Sim7080Transport(new Sim7080(ModemLine!, Clock, settings, ModemPowerKey), Clock) { ClockSetter = this };
        }
    }
}
