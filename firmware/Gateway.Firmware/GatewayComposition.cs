using System;
using System.Collections;
using System.Device.Adc;
using System.Diagnostics;
using System.IO;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Rak3172;
using Gateway.Bindings.Sim7080;
using Gateway.Bindings.Ultrasonic;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Gateway.Control;
using Gateway.Core.Node;
using Gateway.Core.Security;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Storage;
using Gateway.Core.Uplink;
using Gateway.Hardware.Esp32.Board;
using Gateway.Hardware.Esp32.Security;
using Gateway.Hardware.Esp32.Sensors;
using Gateway.Hardware.Esp32.Storage;
using Gateway.Hardware.Esp32.Uplink;
using Iot.Device.Ads1115;
using nanoFramework.M2Mqtt;

namespace Gateway.Firmware
{
    /// <summary>
    /// The device's composition root, rebuilt at every wake (a deep-sleep wake is a reset): flash on I:, control
    /// blobs, configuration and provisioning, the send guard, sensors from the configuration and the board's pin map,
    /// the transport, and the <see cref="GatewayNode"/> over them — the same node the simulator composes on virtual
    /// hardware (tools/Gateway.Simulation/SimGateway.cs).
    /// </summary>
    public sealed partial class GatewayComposition
    {
        /// <summary>Folder of the record log and durable state on the internal flash (littlefs).</summary>
        public const string StorageFolder = "I:\\gw";

        /// <summary>Erase block size of the ESP32's SPI NOR flash.</summary>
        public const int BlockSize = 4096;

        private readonly BoardSetup _board;
        private ISensorSource _levelSource;
        private Esp32SensorParts _sensorParts;
        private ITemperatureProbe _airTemperature;
        private Inclinometer _inclinometer;
        private DwellTimeBudget _budget;
        private Sim7080Transport _cellular;
        private string _sendRefusal = "";
        private string _sensorFaults = "";

        /// <summary>Creates the root for a board; nothing touches hardware until <see cref="Mount"/>.</summary>
        public GatewayComposition(BoardPins pins)
        {
            _board = new BoardSetup(pins);
        }

        /// <summary>The board setup (pin functions, sensor power, technician button).</summary>
        public BoardSetup Board
        {
            get { return _board; }
        }

        /// <summary>The flash store on I:.</summary>
        public IFlashStore Flash { get; private set; }

        /// <summary>The record log.</summary>
        public RecordLog Log { get; private set; }

        /// <summary>The control blobs (provisioning, configuration).</summary>
        public ControlBlobs Blobs { get; private set; }

        /// <summary>Why the last run stopped.</summary>
        public ResetRecord Reset { get; private set; }

        /// <summary>Airtime ledger and clock quality kept across deep sleep.</summary>
        public SleepState SleepState { get; private set; }

        /// <summary>The device clock.</summary>
        public DeviceClock Clock { get; private set; }

        /// <summary>The configuration in force.</summary>
        public ConfigManager Config { get; private set; }

        /// <summary>The gateway's identity and secrets.</summary>
        public DeviceProvisioning Provisioning { get; private set; }

        /// <summary>The check before any send.</summary>
        public SendGuard Guard { get; private set; }

        /// <summary>The node (after <see cref="BuildNode"/>).</summary>
        public GatewayNode Node { get; private set; }

        /// <summary>The node's sources wrapped for test mode (technician console: inject, cycle).</summary>
        public TestModeSources TestSources { get; private set; }

        /// <summary>The node's clock: the device clock plus the test-mode offset (zero out of test mode).</summary>
        public TestClock TestClock { get; private set; }

        /// <summary>The LoRaWAN module driver when LoRaWAN is the transport (link margin for commissioning), else null.</summary>
        public Rak3172 Radio { get; private set; }

        /// <summary>The SIM7080G transport (cellular configuration), or null.</summary>
        public Sim7080Transport Cellular
        {
            get { return _cellular; }
        }

        /// <summary>The MQTT client when MQTT is the transport (commissioning record topic), else null.</summary>
        public IMqttClient Mqtt { get; private set; }

        /// <summary>The primary transport, or null when sending is refused.</summary>
        public IUplinkTransport Transport { get; private set; }

        /// <summary>Why the gateway does not send ("" when it may).</summary>
        public string SendRefusal
        {
            get { return _sendRefusal; }
        }

        /// <summary>The level source (ultrasonic or pressure), or null (for the console's raw measurement).</summary>
        public ISensorSource LevelSource
        {
            get { return _levelSource; }
        }

        /// <summary>The air temperature measured at this wake (1-Wire probe), or null when no ultrasonic ranger needs one.</summary>
        public ITemperatureProbe AirTemperature
        {
            get { return _airTemperature; }
        }

        /// <summary>The inclinometer, or null when none is fitted.</summary>
        public Inclinometer Inclinometer
        {
            get { return _inclinometer; }
        }

        /// <summary>Mounts I: (creates the folder on a new board), opens the control blobs, the reset record and the clock.</summary>
        public void Mount()
        {
            if (!Directory.Exists(StorageFolder))
            {
                Directory.CreateDirectory(StorageFolder);
            }

            Flash = new LittleFsFlashStore(StorageFolder, BlockSize);
            Blobs = new ControlBlobs(Flash);
            Reset = new ResetRecord(Flash);
            SleepState = new SleepState(Flash);
            Clock = new DeviceClock(SleepState.LoadClockQuality());
        }

        /// <summary>Loads configuration and provisioning and decides whether this wake may send (and why not).</summary>
        public bool LoadControl()
        {
            Config = new ConfigManager(Blobs);
            Provisioning = new DeviceProvisioning(Blobs);
            Guard = new SendGuard(Provisioning, Config);
            TransportKind kind = Config.HasConfig ? Config.Active.PrimaryTransport : TransportKind.Lora;
            _board.UsePins(ChooseBoard(Config.HasConfig, kind));
            string reason;
            bool may = Guard.MaySend(kind, out reason);

            _sendRefusal = may ? "" : reason;
            return may;
        }

        /// <summary>
        /// One image serves both boards: the configuration's primary transport names the modem on COM2 (cellular: the
        /// SIM7080G board; LoRaWAN: the RAK3172 board). Without a configuration the modem's control pin (GPIO 4: the
        /// RAK3172's reset, or the SIM7080G's PWRKEY) is left alone, so an unconfigured board never presses a key it
        /// does not know.
        /// </summary>
        private static BoardPins ChooseBoard(bool hasConfig, TransportKind kind)
        {
            if (!hasConfig)
            {
                BoardPins neutral = Esp32Rak3172Board.Pins();
                neutral.Name = "esp32 (modem not chosen: no configuration)";
                neutral.RadioControl = -1;
                return neutral;
            }

            return kind == TransportKind.Cellular ? Esp32Sim7080gBoard.Pins() : Esp32Rak3172Board.Pins();
        }

        /// <summary>
        /// Powers and builds the sensors, the transport (only when sending is allowed) and the node, then boots it
        /// (log recovery, durable state, boot counter) and restores what the last run kept across the sleep.
        /// </summary>
        public GatewayNode BuildNode()
        {
            GatewayConfig config = Config.HasConfig ? Config.Active : new GatewayConfig();
            _board.MapFixedBuses();
            _board.SensorPower(true);
            System.Threading.Thread.Sleep(_board.Pins.SensorWarmUpMs);

            ArrayList sources = new ArrayList();
            ArrayList chains = new ArrayList();
            BuildSensors(config, sources, chains);

            ISensorSource[] sourceArray = new ISensorSource[sources.Count];
            FilterChain[] chainArray = new FilterChain[chains.Count];
            for (int i = 0; i < sourceArray.Length; i++)
            {
                sourceArray[i] = (ISensorSource)sources[i];
                chainArray[i] = (FilterChain)chains[i];
            }

            Log = new RecordLog(Flash, new RecordLogSettings());
            NodeSettings settings = new NodeSettings();
            settings.DeviceId = Provisioning.DeviceId;
            IHmacSha256 hmac = new NoKeyHmac();
            if (_sendRefusal.Length == 0)
            {
                byte[] key = new byte[DeviceProvisioning.DeviceKeyLength];
                Provisioning.TryCopyDeviceKey(key, 0);
                hmac = new Esp32HmacSha256(Provisioning.KeyId, key);
                Array.Clear(key, 0, key.Length);
            }

            TestSources = new TestModeSources(sourceArray);
            TestClock = new TestClock(Clock, Clock);
            Node = new GatewayNode(settings, TestClock, TestClock, hmac, Log, TestSources.Sources, chainArray,
                SensingConfiguration.ToEventSettings(config), new DeviceRandom());
            // Follows the battery channel (hardware/boards/ENERGY.md): the quiet routine stretches as the cell falls.
            AutonomyGovernor governor = new AutonomyGovernor();
            governor.PrimaryCell = config.BatteryPrimary;
            governor.CriticalMillivolts = config.BatteryLowMillivolts;
            Node.Governor = governor;
            if (_sendRefusal.Length == 0)
            {
                try
                {
                    Transport = BuildTransport(config);
                }
                catch (Exception ex)
                {
                    // A radio that does not open must not stop sampling: the readings wait in the log.
                    Transport = null;
                    _sendRefusal = "transport failed to start: " + ex.Message;
                }

                if (Transport != null)
                {
                    Node.AddTransport(Transport, 1, PayloadClass.Backfill);
                }
            }

            Node.Boot();
            return Node;
        }

        /// <summary>
        /// Before a deep sleep of <paramref name="sleepMs"/> (0: a reboot follows): commits, persists the node (with its
        /// detector state), the airtime ledger, the cellular backoff and the clock quality; the modem is put to sleep or
        /// switched off by the length of the sleep (<see cref="Sim7080Transport.Suspend"/>); sensors off.
        /// </summary>
        public void Suspend(long sleepMs)
        {
            if (Node != null)
            {
                Node.Suspend();
            }

            if (_budget != null)
            {
                SleepState.SaveBudget(_budget);
            }

            if (_cellular != null)
            {
                // Downlinks for a sleeping gateway wait at the broker (persistent session), not in a modem URC nobody reads.
                _cellular.Suspend(sleepMs);
                SleepState.SaveCellularBackoff(_cellular);
            }

            SleepState.SaveClockQuality(Clock.Quality);
            _board.SensorPower(false);
        }

        /// <summary>Applies a configuration the cloud proposed (the node only flags it), then lets the trial logic run.</summary>
        public void ApplyProposals(ConfigErrors errors)
        {
            if (Node != null && Node.ConfigProposed)
            {
                byte[] json = Node.LastConfigProposal.ConfigBytes;
                string text = new string(System.Text.Encoding.UTF8.GetChars(json, 0, Node.LastConfigProposal.ConfigLength));
                if (!Config.Propose(text, errors))
                {
                    Debug.WriteLine("config proposal refused");
                }
            }
        }

    }
}
