using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Ultrasonic;
using Gateway.Control;
using Gateway.Control.Commissioning;
using Gateway.Control.Composition;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Gateway.Core.Security;
using Gateway.Core.Codec;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.Virtual.Flash;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Security;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;

namespace Gateway.Simulation.VirtualGateway
{
    /// <summary>
    /// One gateway on virtual hardware with its technician console: virtual flash (the device's
    /// <see cref="ControlBlobs"/> and record log), a river under an ultrasonic ranger, an air thermometer and a battery
    /// divider, the real <see cref="ConsoleInterpreter"/> over the device's own console services
    /// (<see cref="GatewayConsoleServices"/>: self-test and commissioning run the code the ESP32 runs),
    /// <see cref="GatewayNode"/> and <see cref="SendGuard"/>, and an MQTT-like path (gw/{id}/up and gw/{id}/commission)
    /// into an in-process cloud receiver. This class is only the platform (<see cref="IGatewayPlatform"/>): what the
    /// virtual board composes and how it measures, signals and carries the record. It starts UNPROVISIONED: no device
    /// id, no key, no configuration, so it refuses to send until a technician provisions it.
    /// </summary>
    public sealed class VirtualGatewayDevice : IGatewayPlatform, IWallClockSetter
    {
        /// <summary>Modelled LTE-M signal at the virtual site: RSRP, dBm.</summary>
        public const int ModelRsrpDbm = -97;

        /// <summary>Modelled LTE-M signal at the virtual site: SINR, 0.1 dB.</summary>
        public const int ModelSinrTenths = 85;

        private readonly VirtualCloud _cloud;
        private readonly CapturingConsolePort _port = new();
        private readonly VirtualClock _world;
        private readonly VirtualSensorRig _rig;
        private readonly Random _random;
        private readonly Queue<byte[]> _recentUplinks = new();
        private TestModeSources? _testSources;
        private long _builtGeneration = -1;
        private uint _builtDevice;
        private int _builtKey;
        private readonly GatewayConsoleServices _services;
        private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
        private readonly long _mainMs;
        private readonly long _readyMs;

        /// <summary>Creates an unprovisioned gateway whose cloud is <paramref name="cloud"/>.</summary>
        public VirtualGatewayDevice(VirtualCloud cloud, int seed = 1, long? startWallMs = null)
        {
            _cloud = cloud;
            _random = new Random(seed);
            var start = startWallMs ?? new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            Clock = new VirtualClock(start, ClockQuality.Network);
            _mainMs = Clock.UptimeMs;
            TestClock = new TestClock(Clock, this);
            _world = new VirtualClock(start, ClockQuality.Network);
            var scenario = new Scenario
            {
                Name = "virtual-site",
                Seed = seed,
                DurationHours = 24 * 40,
                River = new RiverSpec { BaseLevelMm = 800 },
                Ranger = new RangerSpec { MountHeightMm = 4000, NoiseMm = 2, FalseEchoProbability = 0, GarbageFrameProbability = 0 },
            };
            _rig = new VirtualSensorRig(new ScenarioPlayer(scenario), _world);
            Flash = new VirtualFlash(seed, 4096, PowerCutModel.LittleFs);
            Blobs = new ControlBlobs(Flash);
            Config = new ConfigManager(Blobs);
            Provisioning = new DeviceProvisioning(Blobs);
            Guard = new SendGuard(Provisioning, Config);
            _services = new GatewayConsoleServices(this);
            Console = new ConsoleInterpreter(_port, Config, Provisioning, _services);

            // A power-on: this composition is the virtual board's start (the node is built when first needed). The
            // virtual clock does not move while it is built, so the wake line says so: 0 ms, not a modelled boot.
            _readyMs = Clock.UptimeMs;
        }

        /// <summary>The device clock.</summary>
        public VirtualClock Clock { get; }

        /// <summary>The clock the node runs over (test mode moves it).</summary>
        public TestClock TestClock { get; }

        /// <summary>The virtual flash.</summary>
        public VirtualFlash Flash { get; }

        /// <summary>The control blobs (the device's own class over the virtual flash).</summary>
        public ControlBlobs Blobs { get; }

        IDurableBlobs IGatewayPlatform.Blobs => Blobs;

        IClock IGatewayPlatform.Clock => Clock;

        /// <summary>The console services (the device's code).</summary>
        public GatewayConsoleServices Services => _services;

        /// <summary>The configuration.</summary>
        public ConfigManager Config { get; }

        /// <summary>Identity and secrets.</summary>
        public DeviceProvisioning Provisioning { get; }

        /// <summary>The send guard.</summary>
        public SendGuard Guard { get; }

        /// <summary>The console.</summary>
        public ConsoleInterpreter Console { get; }

        /// <summary>The cloud.</summary>
        public VirtualCloud Cloud => _cloud;

        /// <summary>The node, once provisioned and configured.</summary>
        public GatewayNode? Node { get; private set; }

        GatewayNode IGatewayPlatform.Node => Node!;

        /// <summary>The node's sources wrapped for test mode.</summary>
        public TestModeSources? TestSources => _testSources;

        TestModeSources IGatewayPlatform.TestSources => _testSources!;

        /// <summary>The transport of the running node (in process, or MQTT on the cloud's broker).</summary>
        public IUplinkTransport? Transport { get; private set; }

        IUplinkTransport IGatewayPlatform.Transport => Transport!;

        /// <summary>The last commissioning record sent (bytes), or null.</summary>
        public byte[]? LastRecord { get; private set; }

        /// <summary>The cloud's verdict on the last record.</summary>
        public Gateway.Cloud.Commissioning.CommissioningOutcome? LastRecordOutcome { get; private set; }

        /// <summary>Runs one console line; returns the answer lines (the last is "OK" or "ERR ...", none for blanks and comments).</summary>
        public List<string> Execute(string line)
        {
            Console.Execute(line);
            return _port.Take();
        }

        /// <inheritdoc />
        public void SetWallTime(long wallTimeMs, ClockQuality quality) => Clock.SetWallTime(wallTimeMs, quality);

        // ------------------------------------------------------------------ node

        /// <summary>Builds (or rebuilds after a provisioning or configuration change) the node; false with the reason when sending is refused.</summary>
        public bool EnsureNode(out string reason)
        {
            if (!Config.HasConfig || !Guard.MaySend(Config.Active.PrimaryTransport, out reason))
            {
                if (!Config.HasConfig)
                {
                    reason = "not configured: no configuration (console: config set <json>)";
                }
                else
                {
                    Guard.MaySend(Config.Active.PrimaryTransport, out reason);
                }

                return false;
            }

            reason = "";
            if (Node is not null && _builtGeneration == Config.Generation && _builtDevice == Provisioning.DeviceId && _builtKey == Provisioning.KeyId)
            {
                return true;
            }

            Node?.Suspend();
            var config = Config.Active;
            var composed = new SensorComposer(config, new VirtualSensorParts(_rig));
            _testSources = new TestModeSources(composed.Sources);
            _testSources.SetTestMode(_services.TestMode);
            var key = new byte[DeviceProvisioning.DeviceKeyLength];
            Provisioning.TryCopyDeviceKey(key, 0);
            var transportName = config.PrimaryTransport == TransportKind.Wifi ? "mqtt-wifi" : "mqtt-lte";
            (Transport as IDisposable)?.Dispose();
            if (_cloud.Broker is { } broker)
            {
                _cloud.Refresh(); // the receiver on the broker knows the keys before the first publish
                Transport = new MosquittoTransport(Provisioning.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture), broker.Host, broker.Port,
                    broker.User ?? "", broker.Password ?? "");
                Transport.EnsureReady();
            }
            else
            {
                Transport = new LoopbackTransport(transportName, Clock, payload => Publish(payload, transportName), 0, new List<(long, long)>(), _random.Next());
            }
            var node = new GatewayNode(new NodeSettings { DeviceId = Provisioning.DeviceId }, TestClock, TestClock, new HostHmacSha256(Provisioning.KeyId, key),
                new RecordLog(Flash, new RecordLogSettings()), _testSources.Sources, composed.Chains, SensingConfiguration.ToEventSettings(config),
                new SeededRandom((ulong)_random.Next() + 1))
            {
                Governor = new AutonomyGovernor(),
            };
            node.AddTransport(Transport, 1, PayloadClass.Backfill);
            node.Boot();
            Node = node;
            _builtGeneration = Config.Generation;
            _builtDevice = Provisioning.DeviceId;
            _builtKey = Provisioning.KeyId;
            return true;
        }

        /// <summary>The newest batches this gateway published (at most 16), for tests that tamper with a copy.</summary>
        public IReadOnlyCollection<byte[]> RecentUplinks => _recentUplinks;

        private IReadOnlyList<byte[]> Publish(byte[] payload, string transport)
        {
            _recentUplinks.Enqueue(payload);
            if (_recentUplinks.Count > 16)
            {
                _recentUplinks.Dequeue();
            }

            return _cloud.DeliverBatch(payload, transport, TestClock.WallTimeMs); // delivery is instant: the cloud receives it at the node's now (test mode moves that clock)
        }

        private void SyncWorld()
        {
            var lag = TestClock.WallTimeMs - _world.WallTimeMs;
            if (lag > 0)
            {
                _world.Advance(lag);
            }

            _rig.Sync();
        }


        // ------------------------------------------------------------------ IGatewayPlatform

        /// <inheritdoc />
        public string[] DescribePlatform()
        {
            var lines = new List<string>
            {
                "board: virtual (tools/Gateway.Simulation/VirtualGateway)",
                $"wall time: {DateTimeOffset.FromUnixTimeMilliseconds(TestClock.WallTimeMs):u}",
                WakeTiming.Format(_mainMs, _readyMs, false),
                $"cloud: {_cloud.DbSpec}, keys {_cloud.KeyFile}",
            };
            if (Transport is LoopbackTransport loop)
            {
                lines.Add($"publishes: {loop.Sends}");
            }
            else if (_cloud.Broker is { } broker)
            {
                lines.Add($"broker: {broker.Host}:{broker.Port}");
            }

            return lines.ToArray();
        }

        /// <inheritdoc />
        public IHmacSha256 CreateHmac(byte keyId, byte[] key) => new HostHmacSha256(keyId, key);

        /// <inheritdoc />
        public bool HasAirTemperature => true;

        /// <inheritdoc />
        public bool TryReadAirTemperature(out int millicelsius)
        {
            SyncWorld();
            return _rig.Thermometer.TryReadMillicelsius(out millicelsius);
        }

        /// <inheritdoc />
        public bool TryMeasureRawLevel(out int levelMillimeters, out string error)
        {
            levelMillimeters = 0;
            var config = Config.HasConfig ? Config.Active.Clone() : new GatewayConfig();
            if (!config.UltrasonicFitted)
            {
                error = "no level sensor fitted";
                return false;
            }

            config.LevelOffsetMillimeters = 0;
            SyncWorld();
            var ranger = new UartUltrasonicRanger(_rig.Ranger, _rig.Thermometer, BindingConfiguration.ToUltrasonicSettings(config), false);
            var r = new Reading { Channel = ranger.Channel };
            if (!ranger.TrySample(ref r) || !r.IsValid)
            {
                error = $"sensor did not answer or flagged the reading (status 0x{(int)r.Status:X4})";
                return false;
            }

            levelMillimeters = r.Value;
            error = "";
            return true;
        }

        /// <inheritdoc />
        public bool TryMeasureRawTilt(out int xMillidegrees, out int yMillidegrees, out string error)
        {
            xMillidegrees = 0;
            yMillidegrees = 0;
            error = "no inclinometer fitted on this virtual gateway";
            return false;
        }

        /// <inheritdoc />
        public void ReadLinkSignal(CommissioningRecord record, ArrayList lines)
        {
            record.LinkTransport = Config.Active.PrimaryTransport == TransportKind.Wifi ? CommissioningRecord.LinkWifi : CommissioningRecord.LinkCellular;
            record.SignalA = ModelRsrpDbm;
            record.SignalBTenths = record.LinkTransport == CommissioningRecord.LinkCellular ? ModelSinrTenths : 0;
            lines.Add($"signal: RSRP {ModelRsrpDbm} dBm, SINR {ModelSinrTenths / 10.0:F1} dB (modelled)");
        }

        /// <inheritdoc />
        public bool TimeSynchronised(out int correctionMs)
        {
            // The virtual cloud's time downlink: the clock is set from the virtual world's time.
            var before = Clock.WallTimeMs;
            var cloudNow = _world.WallTimeMs - TestClock.OffsetMs;
            Clock.SetWallTime(Math.Max(cloudNow, before), ClockQuality.Network);
            correctionMs = (int)(Clock.WallTimeMs - before);
            return true;
        }

        /// <inheritdoc />
        public long ElapsedMs => _cloud.Broker is null ? Clock.UptimeMs : _watch.ElapsedMilliseconds;

        /// <inheritdoc />
        public bool AcknowledgementMayLag => _cloud.Broker is not null;

        /// <inheritdoc />
        public void WaitForLink(int milliseconds) => System.Threading.Thread.Sleep(Math.Min(milliseconds, 50));

        /// <inheritdoc />
        public bool SendCommissioningRecord(byte[] record, int length, out string detail)
        {
            LastRecord = record.AsSpan(0, length).ToArray();
            var tag = LastRecord.AsSpan(length - CommissioningRecord.TagLength).ToArray();
            var topic = MqttTopics.Commission(Provisioning.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Transport is MosquittoTransport mqtt)
            {
                var publishedOk = mqtt.Client.Publish(topic, LastRecord, MqttTopics.Qos, false, TimeSpan.FromSeconds(5));
                LastRecordOutcome = publishedOk
                    ? _cloud.AwaitCommissioning(Provisioning.DeviceId, LastRecord, tag, TimeSpan.FromSeconds(10))
                    : new Gateway.Cloud.Commissioning.CommissioningOutcome(Gateway.Cloud.Commissioning.CommissioningVerdict.Malformed, "publish failed: " + mqtt.Client.LastError, null, null);
            }
            else
            {
                LastRecordOutcome = _cloud.DeliverCommissioning(LastRecord, Transport!.Name);
            }

            detail = $"published on {topic}: cloud {LastRecordOutcome.Verdict}: {LastRecordOutcome.Message}";
            return LastRecordOutcome.Accepted;
        }
    }
}
