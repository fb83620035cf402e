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
    public sealed class GatewayComposition
    {
        /// <summary>Folder of the record log and durable state on the internal flash (littlefs).</summary>
        public const string StorageFolder = "I:\\gw";

        /// <summary>Erase block size of the ESP32's SPI NOR flash.</summary>
        public const int BlockSize = 4096;

        private readonly BoardSetup _board;
        private ISensorSource _levelSource;
        private Esp32SerialByteStream _rangerPort;
        private Esp32EchoTimer _echoTimer;
        private FixedTemperatureProbe _airTemperature;
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

        /// <summary>Before a deep sleep: commits, persists the node (with its detector state), the airtime ledger, the cellular backoff and the clock quality; sensors off.</summary>
        public void Suspend()
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
                _cellular.Suspend();
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

        /// <summary>Closes the ultrasonic sensor's port so COM3 can go to the technician console.</summary>
        public void ReleaseCom3()
        {
            if (_rangerPort != null)
            {
                _rangerPort.Dispose();
                _rangerPort = null;
            }
        }

        /// <summary>
        /// Measures the level once for the console (COM3 must be free: the console released it): a fresh ranger on
        /// the ultrasonic pins, or the pressure transducer. Leaves COM3 closed.
        /// </summary>
        public bool TryMeasureLevelOnce(out int levelMillimeters, out string error)
        {
            levelMillimeters = 0;
            GatewayConfig config = Config.HasConfig ? Config.Active : new GatewayConfig();
            ISensorSource source = _levelSource;
            Esp32SerialByteStream port = null;
            try
            {
                if (config.UltrasonicFitted && config.UltrasonicInterface == UltrasonicInterface.Uart)
                {
                    ReleaseCom3();
                    _board.MapCom3ToUltrasonic();
                    port = new Esp32SerialByteStream("COM3", 9600, 300);
                    source = new UartUltrasonicRanger(port, _airTemperature == null ? new FixedTemperatureProbe(false, 0) : _airTemperature,
                        BindingConfiguration.ToUltrasonicSettings(config), false);
                }

                if (source == null)
                {
                    error = "no level sensor fitted";
                    return false;
                }

                Reading r = new Reading();
                r.Channel = source.Channel;
                if (!source.TrySample(ref r) || !r.IsValid)
                {
                    error = "sensor did not answer or flagged the reading (status " + ((int)r.Status).ToString() + ")";
                    return false;
                }

                levelMillimeters = r.Value;
                error = "";
                return true;
            }
            finally
            {
                if (port != null)
                {
                    port.Dispose();
                }
            }
        }

        private void BuildSensors(GatewayConfig config, ArrayList sources, ArrayList chains)
        {
            BoardPins pins = _board.Pins;
            if (config.UltrasonicFitted && config.UltrasonicInterface == UltrasonicInterface.Uart)
            {
                try
                {
                    // COM3 in turn: the air temperature first (speed of sound), then the ranger.
                    _board.MapCom3ToOneWire();
                    int milli;
                    bool ok = OneShotTemperature.TryRead(out milli);
                    _airTemperature = new FixedTemperatureProbe(ok, milli);
                    _board.MapCom3ToUltrasonic();
                    _rangerPort = new Esp32SerialByteStream("COM3", 9600, 300);
                    UartUltrasonicRanger ranger = new UartUltrasonicRanger(_rangerPort, _airTemperature,
                        BindingConfiguration.ToUltrasonicSettings(config), false);
                    _levelSource = ranger;
                    sources.Add(ranger);
                    chains.Add(new FilterChain(new IReadingFilter[] { new SpikeFilter(300, 3) }));
                }
                catch (Exception ex)
                {
                    SensorFault("ultrasonic", ex);
                }
            }
            else if (config.UltrasonicFitted && config.UltrasonicInterface == UltrasonicInterface.Echo)
            {
                try
                {
                    // A trigger/echo ranger (JSN-SR04T, HC-SR04) on the same two wires as the UART ranger: trigger on
                    // the pin that is the sensor's RX in UART mode, echo on its TX. COM3 stays free for the 1-Wire probe.
                    _board.MapCom3ToOneWire();
                    int milli;
                    bool ok = OneShotTemperature.TryRead(out milli);
                    _airTemperature = new FixedTemperatureProbe(ok, milli);
                    _echoTimer = new Esp32EchoTimer(pins.UltrasonicTx, pins.UltrasonicRx);
                    EchoUltrasonicRanger ranger = new EchoUltrasonicRanger(_echoTimer, _airTemperature, BindingConfiguration.ToUltrasonicSettings(config));
                    _levelSource = ranger;
                    sources.Add(ranger);
                    chains.Add(new FilterChain(new IReadingFilter[] { new SpikeFilter(300, 3) }));
                }
                catch (Exception ex)
                {
                    SensorFault("ultrasonic (echo)", ex);
                }
            }

            if (config.PressureFitted)
            {
                try
                {
                    PressureTransducer pressure = new PressureTransducer(
                        new Esp32Ads1115Input(1, pins.Ads1115Address, InputMultiplexer.AIN0, MeasuringRange.FS4096), null,
                        BindingConfiguration.ToPressureSettings(config));
                    if (_levelSource == null)
                    {
                        _levelSource = pressure;
                    }

                    sources.Add(pressure);
                    chains.Add(new FilterChain(new IReadingFilter[] { new SpikeFilter(300, 3) }));
                }
                catch (Exception ex)
                {
                    SensorFault("pressure", ex);
                }
            }

            if (config.InclinometerFitted)
            {
                try
                {
                    // 256 counts per g at ±2 g full resolution; the binding's vector is in g.
                    _inclinometer = new Inclinometer(new Esp32Adxl345Accelerometer(1, pins.AccelerometerChipSelect, 256f),
                        BindingConfiguration.ToInclinometerSettings(config));
                    sources.Add(_inclinometer.Pitch);
                    chains.Add(new FilterChain(new IReadingFilter[0]));
                    sources.Add(_inclinometer.Roll);
                    chains.Add(new FilterChain(new IReadingFilter[0]));
                }
                catch (Exception ex)
                {
                    _inclinometer = null;
                    SensorFault("inclinometer", ex);
                }
            }

            if (config.BatteryFitted && pins.BatteryAdcChannel >= 0)
            {
                try
                {
                    SupplyVoltageSettings battery = new SupplyVoltageSettings();
                    battery.TopOhms = pins.BatteryTopOhms;
                    battery.BottomOhms = pins.BatteryBottomOhms;
                    sources.Add(new SupplyVoltageMonitor(new Esp32AdcInput(new AdcController(), pins.BatteryAdcChannel), battery));
                    chains.Add(new FilterChain(new IReadingFilter[0]));
                }
                catch (Exception ex)
                {
                    SensorFault("battery", ex);
                }
            }
        }

        /// <summary>Sensors that failed to open at this wake ("" when none); the others still sample.</summary>
        public string SensorFaults
        {
            get { return _sensorFaults; }
        }

        private void SensorFault(string sensor, Exception ex)
        {
            // One sensor that does not open (unplugged, bus fault) must not stop the others or the uplink.
            _sensorFaults = _sensorFaults + (_sensorFaults.Length == 0 ? "" : "; ") + sensor + ": " + ex.Message;
            Debug.WriteLine("SENSOR FAULT " + sensor + ": " + ex.Message);
        }

        private IUplinkTransport BuildTransport(GatewayConfig config)
        {
            if (config.PrimaryTransport == TransportKind.Lora)
            {
                Rak3172Settings s = new Rak3172Settings();
                Array.Copy(Provisioning.DevEui, s.DevEui, 8);
                Array.Copy(Provisioning.JoinEui, s.JoinEui, 8);
                Provisioning.TryCopyAppKey(s.AppKey, 0);
                _budget = new DwellTimeBudget(new DwellTimeSettings());
                SleepState.RestoreBudget(_budget, Clock.WallTimeMs);
                SerialPortLine line = new SerialPortLine("COM2", _board.Pins.RadioBaud, Rak3172.LineCapacity);
                Rak3172 driver = new Rak3172(line, Clock, s, new DeviceRandom(), _budget);
                Radio = driver;
                Rak3172Status status = driver.Initialize();
                if (status != Rak3172Status.Ok)
                {
                    Debug.WriteLine("RAK3172 initialise: " + status.ToString());
                }

                return new Rak3172Transport(driver, _budget, Clock);
            }

            if (config.MqttHost == null || config.MqttHost.Length == 0)
            {
                _sendRefusal = "no MQTT host in the configuration (transport.mqtt.host)";
                return null;
            }

            if (config.PrimaryTransport == TransportKind.Cellular)
            {
                // LTE-M / NB-IoT through the SIM7080G's own MQTT client on COM2; the modem is brought up (power,
                // attach, PDP, MQTT) lazily by the transport's EnsureReady when the node first sends.
                Sim7080Settings s = new Sim7080Settings();
                s.Apn = config.CellularApn;
                s.ApnUser = config.CellularUser;
                s.ApnPassword = config.CellularPassword;
                s.NetworkMode = CellularModeOf(config.CellularMode);
                s.BrokerHost = config.MqttHost;
                s.BrokerPort = config.MqttPort;
                s.UseTls = config.MqttTls;
                s.DeviceId = Provisioning.DeviceId.ToString();
                s.MqttUser = Provisioning.MqttUser;
                s.MqttPassword = Provisioning.MqttPasswordForTransport();
                SerialPortLine line = new SerialPortLine("COM2", _board.Pins.RadioBaud, Sim7080.LineCapacity);
                Esp32ModemPowerKey powerKey = new Esp32ModemPowerKey(_board.Gpio, _board.Pins.RadioControl);
                _cellular = new Sim7080Transport(new Sim7080(line, Clock, s, powerKey), Clock);
                _cellular.ClockSetter = Clock; // the network's time while the clock is still unknown
                SleepState.RestoreCellularBackoff(_cellular);
                return _cellular;
            }

            if (config.PrimaryTransport == TransportKind.Wifi)
            {
                // Wi-Fi credentials are the runtime's stored network configuration (set once with the device
                // explorer or nanoff); the MQTT client connects when the node first sends.
                MqttClient client = new MqttClient(config.MqttHost, config.MqttPort, config.MqttTls, null, null,
                    config.MqttTls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                Mqtt = client;
                return new M2MqttTransport(client, Provisioning.DeviceId.ToString(), Provisioning.MqttUser,
                    Provisioning.MqttPasswordForTransport(), 1024);
            }

            _sendRefusal = "no transport for " + config.PrimaryTransport.ToString();
            return null;
        }

        private static CellularNetworkMode CellularModeOf(CellularMode mode)
        {
            switch (mode)
            {
                case CellularMode.NbIot:
                    return CellularNetworkMode.NbIot;
                case CellularMode.Both:
                    return CellularNetworkMode.CatMAndNbIot;
                default:
                    return CellularNetworkMode.CatM;
            }
        }
    }
}
