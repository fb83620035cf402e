using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Ultrasonic;
using Gateway.Control;
using Gateway.Control.Commissioning;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
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
    /// One gateway on virtual hardware with its technician console: virtual flash (control blobs and record log),
    /// a river under an ultrasonic ranger, an air thermometer and a battery divider, the real
    /// <see cref="ConsoleInterpreter"/>, <see cref="GatewayNode"/>, <see cref="SendGuard"/> and the commissioning
    /// record, and an MQTT-like path (gw/{id}/up and gw/{id}/commission) into an in-process cloud receiver. It starts
    /// UNPROVISIONED: no device id, no key, no configuration, so it refuses to send until a technician provisions it.
    /// </summary>
    public sealed class VirtualGatewayDevice : IConsoleServices, IWallClockSetter
    {
        /// <summary>The firmware version this virtual gateway reports (major.minor.build = 1.0.0).</summary>
        public const uint FirmwareVersion = 1u << 24;

        /// <summary>Modelled LTE-M signal at the virtual site: RSRP, dBm.</summary>
        public const int ModelRsrpDbm = -97;

        /// <summary>Modelled LTE-M signal at the virtual site: SINR, 0.1 dB.</summary>
        public const int ModelSinrTenths = 85;

        private readonly VirtualCloud _cloud;
        private readonly CapturingConsolePort _port = new();
        private readonly VirtualClock _world;
        private readonly VirtualSensorRig _rig;
        private readonly List<string> _log = new();
        private readonly Random _random;
        private readonly Queue<byte[]> _recentUplinks = new();
        private TestModeSources? _testSources;
        private ISensorSource[] _rawSources = Array.Empty<ISensorSource>();
        private long _builtGeneration = -1;
        private uint _builtDevice;
        private int _builtKey;
        private bool _testMode;
        private int? _tapeReferenceMm;

        /// <summary>Creates an unprovisioned gateway whose cloud is <paramref name="cloud"/>.</summary>
        public VirtualGatewayDevice(VirtualCloud cloud, int seed = 1, long? startWallMs = null)
        {
            _cloud = cloud;
            _random = new Random(seed);
            var start = startWallMs ?? new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            Clock = new VirtualClock(start, ClockQuality.Network);
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
            Blobs = new FlashBlobs(Flash);
            Config = new ConfigManager(Blobs);
            Provisioning = new DeviceProvisioning(Blobs);
            Guard = new SendGuard(Provisioning, Config);
            Console = new ConsoleInterpreter(_port, Config, Provisioning, this);
            Note("boot: unprovisioned virtual gateway");
        }

        /// <summary>The device clock.</summary>
        public VirtualClock Clock { get; }

        /// <summary>The clock the node runs over (test mode moves it).</summary>
        public TestClock TestClock { get; }

        /// <summary>The virtual flash.</summary>
        public VirtualFlash Flash { get; }

        /// <summary>The control blobs.</summary>
        public FlashBlobs Blobs { get; }

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

        /// <summary>The transport of the running node (in process, or MQTT on the cloud's broker).</summary>
        public IUplinkTransport? Transport { get; private set; }

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
            var sources = new List<ISensorSource>();
            var chains = new List<FilterChain>();
            if (config.UltrasonicFitted)
            {
                sources.Add(new UartUltrasonicRanger(_rig.Ranger, _rig.Thermometer, BindingConfiguration.ToUltrasonicSettings(config), false));
                chains.Add(new FilterChain(new IReadingFilter[] { new SpikeFilter(300, 3) }));
            }

            sources.Add(new ThermometerSource(_rig.Thermometer));
            chains.Add(new FilterChain(Array.Empty<IReadingFilter>()));
            if (config.BatteryFitted)
            {
                sources.Add(new SupplyVoltageMonitor(_rig.Battery, new SupplyVoltageSettings()));
                chains.Add(new FilterChain(Array.Empty<IReadingFilter>()));
            }

            _rawSources = sources.ToArray();
            _testSources = new TestModeSources(_rawSources);
            _testSources.SetTestMode(_testMode);
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
                new RecordLog(Flash, new RecordLogSettings()), _testSources.Sources, chains.ToArray(), SensingConfiguration.ToEventSettings(config),
                new SeededRandom((ulong)_random.Next() + 1));
            node.AddTransport(Transport, 1, PayloadClass.Backfill);
            node.Boot();
            Node = node;
            _builtGeneration = Config.Generation;
            _builtDevice = Provisioning.DeviceId;
            _builtKey = Provisioning.KeyId;
            Note($"node booted: device {Provisioning.DeviceId}, key id {Provisioning.KeyId}, config generation {Config.Generation}, boot {node.BootCounter}");
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

            return _cloud.DeliverBatch(payload, transport);
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

        private void Note(string line) => _log.Add($"{TestClock.WallTimeMs} {line}");

        // ------------------------------------------------------------------ IConsoleServices

        /// <inheritdoc />
        public string[] DescribeStatus()
        {
            var lines = new List<string>
            {
                "board: virtual (tools/Gateway.Simulation/VirtualGateway)",
                $"clock: {TestClock.WallTimeMs} ms ({DateTimeOffset.FromUnixTimeMilliseconds(TestClock.WallTimeMs):u}), quality {(int)Clock.Quality}, test offset {TestClock.OffsetMs} ms",
            };
            if (Node is null)
            {
                lines.Add("node: not running (" + (EnsureNodeReason() ?? "not built yet") + ")");
            }
            else
            {
                lines.Add($"node: boot {Node.BootCounter}, readings stored {Node.ReadingsStored}, alarm level {(int)Node.Detector.AlarmLevel}, log next sequence {Node.Log.NextSequence}"
                    + (Node.HasUnacknowledged ? " (unacknowledged records)" : " (all acknowledged)"));
                lines.Add($"uplink: {Transport!.Name}" + (Transport is LoopbackTransport loop ? $", {loop.Sends} publishes" : $", broker {_cloud.Broker?.Host}:{_cloud.Broker?.Port}"));
            }

            lines.Add($"cloud: {_cloud.DbSpec}, keys {_cloud.KeyFile}");
            return lines.ToArray();
        }

        private string? EnsureNodeReason()
        {
            if (!Config.HasConfig)
            {
                return "no configuration";
            }

            return Guard.MaySend(Config.Active.PrimaryTransport, out var reason) ? null : reason;
        }

        /// <inheritdoc />
        public bool RunSelfTest(out string[] report)
        {
            var lines = new List<string>();
            var ok = true;
            SyncWorld();
            var config = Config.HasConfig ? Config.Active : new GatewayConfig();
            if (config.UltrasonicFitted)
            {
                var ranger = new UartUltrasonicRanger(_rig.Ranger, _rig.Thermometer, BindingConfiguration.ToUltrasonicSettings(config), false);
                var r = new Reading { Channel = ranger.Channel };
                var sampled = ranger.TrySample(ref r);
                var plausible = sampled && r.IsValid && r.Value >= -1000 && r.Value <= config.UltrasonicMountHeightMillimeters + 1000;
                lines.Add($"ultrasonic: {(plausible ? "ok" : "FAIL")} {r.Value} mm, status 0x{(int)r.Status:X4}");
                ok &= plausible;
            }

            var t = new ThermometerSource(_rig.Thermometer);
            var tr = new Reading { Channel = t.Channel };
            var tok = t.TrySample(ref tr) && tr.IsValid && tr.Value > -40000 && tr.Value < 60000;
            lines.Add($"temperature: {(tok ? "ok" : "FAIL")} {tr.Value} m°C");
            ok &= tok;
            if (config.BatteryFitted)
            {
                var b = new SupplyVoltageMonitor(_rig.Battery, new SupplyVoltageSettings());
                var br = new Reading { Channel = b.Channel };
                var bok = b.TrySample(ref br) && br.IsValid && br.Value >= config.BatteryLowMillivolts;
                lines.Add($"battery: {(bok ? "ok" : "FAIL")} {br.Value} mV (low {config.BatteryLowMillivolts} mV)");
                ok &= bok;
            }

            var storage = StorageCheck(out var storageLine);
            lines.Add(storageLine);
            ok &= storage;
            if (EnsureNode(out var reason))
            {
                var ready = Transport!.EnsureReady();
                lines.Add($"uplink: {Transport.Name} {(ready ? "ready" : "FAIL not ready")}");
                ok &= ready;
            }
            else
            {
                lines.Add("uplink: REFUSED, " + reason);
                ok = false;
            }

            Note("selftest " + (ok ? "passed" : "FAILED"));
            report = lines.ToArray();
            return ok;
        }

        private bool StorageCheck(out string line)
        {
            var pattern = new byte[64];
            _random.NextBytes(pattern);
            try
            {
                Blobs.WriteAtomic(FlashBlobs.SelfTestBlob, pattern);
                var ok = Blobs.TryRead(FlashBlobs.SelfTestBlob, out var back) && back.AsSpan().SequenceEqual(pattern);
                line = "flash: " + (ok ? "ok (64-byte write/read back)" : "FAIL read back differs");
                return ok;
            }
            catch (Exception ex) when (ex is PowerCutException or InvalidOperationException or System.IO.IOException)
            {
                line = "flash: FAIL " + ex.Message;
                return false;
            }
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
        public void NoteTapeReference(int referenceMillimeters, int measuredMillimeters)
        {
            _tapeReferenceMm = referenceMillimeters;
            Note($"tape reference {referenceMillimeters} mm (measured {measuredMillimeters} mm)");
        }

        /// <inheritdoc />
        public bool Commission(out string[] report)
        {
            var lines = new List<string>();
            if (!EnsureNode(out var reason))
            {
                report = new[] { "cannot commission: " + reason };
                return false;
            }

            var node = Node!;
            var record = new CommissioningRecord { DeviceId = Provisioning.DeviceId, FirmwareVersion = FirmwareVersion, ConfigGeneration = (uint)Config.Generation };
            var key = new byte[DeviceProvisioning.DeviceKeyLength];
            Provisioning.TryCopyDeviceKey(key, 0);
            var hmac = new HostHmacSha256(Provisioning.KeyId, key);

            // 1. Every fitted sensor, once, through the node's sources (flagged Maintenance: a technician's session).
            SyncWorld();
            var flagOnly = !_testMode;
            if (flagOnly)
            {
                _testSources!.SetTestMode(true);
            }

            try
            {
                foreach (var s in _testSources!.Sources)
                {
                    var r = new Reading { Channel = s.Channel };
                    if (s.TrySample(ref r))
                    {
                        record.AddSensor(r.Channel, r.Value, r.Status);
                        lines.Add($"sensor ch{(int)r.Channel}: {r.Value} status 0x{(int)r.Status:X4}");
                    }
                }

            }
            finally
            {
                if (flagOnly)
                {
                    _testSources!.SetTestMode(false);
                }
            }

            // 2. Link test: a link-test marker goes into the log (committed at once) and is sent now; the round trip
            // ends when the cloud's acknowledgement of it is applied.
            node.Log.AppendEvent(RecordKind.Marker, 0, TestClock.WallTimeMs, MarkerCode.TechnicianLinkTest, 0);
            var acksBefore = node.AcknowledgementsApplied;
            var t0 = Clock.UptimeMs;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var sent = node.SendNow();
            while (node.AcknowledgementsApplied == acksBefore && _cloud.Broker is not null && watch.ElapsedMilliseconds < 10_000)
            {
                // Over a broker the acknowledgement comes back asynchronously: poll as the device's wake loop does.
                System.Threading.Thread.Sleep(50);
                node.SendNow();
            }

            var acked = node.AcknowledgementsApplied > acksBefore;
            var rtt = (int)Math.Min(CommissioningRecord.NoRoundTrip - 1, _cloud.Broker is null ? Clock.UptimeMs - t0 : watch.ElapsedMilliseconds);
            record.LinkTransport = Config.Active.PrimaryTransport == TransportKind.Wifi ? CommissioningRecord.LinkWifi : CommissioningRecord.LinkCellular;
            record.SignalA = ModelRsrpDbm;
            record.SignalBTenths = record.LinkTransport == CommissioningRecord.LinkCellular ? ModelSinrTenths : 0;
            record.RoundTripMs = acked ? rtt : CommissioningRecord.NoRoundTrip;
            if (acked)
            {
                record.Flags |= CommissioningRecord.FlagLinkOk;
            }

            lines.Add($"link: {Transport!.Name}, {sent} payload(s) sent, " + (acked ? $"acknowledged in {rtt} ms" : "NO acknowledgement") + $", RSRP {ModelRsrpDbm} dBm, SINR {ModelSinrTenths / 10.0:F1} dB (modelled)");
            if (acked)
            {
                Config.ReportUplinkSuccess();
            }

            // 3. Time sync against the cloud's clock (the virtual world's time).
            var before = Clock.WallTimeMs;
            var cloudNow = _world.WallTimeMs - TestClock.OffsetMs;
            Clock.SetWallTime(Math.Max(cloudNow, before), ClockQuality.Network);
            record.TimeSync = CommissioningRecord.TimeSyncOk;
            record.TimeCorrectionMs = (int)(Clock.WallTimeMs - before);
            record.Flags |= CommissioningRecord.FlagTimeSyncOk;
            lines.Add($"time sync: ok, correction {record.TimeCorrectionMs} ms, quality {(int)Clock.Quality}");

            // 4. Storage write/read, 5. self-test.
            if (StorageCheck(out var storageLine))
            {
                record.Flags |= CommissioningRecord.FlagStorageOk;
            }

            lines.Add(storageLine);
            var selfTest = RunSelfTest(out var selfLines);
            lines.AddRange(selfLines.Select(l => "self-test " + l));
            if (selfTest)
            {
                record.Flags |= CommissioningRecord.FlagSelfTestPassed;
            }

            if (_tapeReferenceMm is int tape)
            {
                record.TapeReferenceMm = tape;
                record.Flags |= CommissioningRecord.FlagTapeReference;
            }

            if (_testMode)
            {
                record.Flags |= CommissioningRecord.FlagTestMode;
            }

            CommissioningRecord.DigestConfig(hmac, Encoding.UTF8.GetBytes(Config.ActiveJson()), record.ConfigDigest, 0);
            record.TimeMs = TestClock.WallTimeMs;
            record.ClockQuality = Clock.Quality;
            var bytes = new byte[CommissioningRecord.MaxBytes];
            var n = record.Encode(hmac, bytes, 0);
            LastRecord = bytes.AsSpan(0, n).ToArray();
            lines.Add($"record hex ({n} bytes, {BatchFragmenterFrames(n)} LoRaWAN DR2 fragments): {HexText.ToHex(LastRecord)}");
            lines.AddRange(record.Describe());

            // 6. Publish on gw/{id}/commission.
            if (Transport is MosquittoTransport mqtt)
            {
                var publishedOk = mqtt.Client.Publish(MqttTopics.Commission(Provisioning.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture)), LastRecord, MqttTopics.Qos, false, TimeSpan.FromSeconds(5));
                LastRecordOutcome = publishedOk
                    ? _cloud.AwaitCommissioning(Provisioning.DeviceId, LastRecord, record.Tag, TimeSpan.FromSeconds(10))
                    : new Gateway.Cloud.Commissioning.CommissioningOutcome(Gateway.Cloud.Commissioning.CommissioningVerdict.Malformed, "publish failed: " + mqtt.Client.LastError, null, null);
            }
            else
            {
                LastRecordOutcome = _cloud.DeliverCommissioning(LastRecord, Transport.Name);
            }

            lines.Add($"published on {MqttTopics.Commission(Provisioning.DeviceId.ToString())}: cloud {LastRecordOutcome.Verdict}: {LastRecordOutcome.Message}");
            var passed = acked && selfTest && record.Has(CommissioningRecord.FlagStorageOk) && LastRecordOutcome.Accepted;
            Note("commission " + (passed ? "passed" : "FAILED") + ", record " + HexText.ToHex(record.Tag));
            report = lines.ToArray();
            return passed;
        }

        private static int BatchFragmenterFrames(int length) => Gateway.Core.Codec.BatchFragmenter.FragmentCount(length);

        /// <inheritdoc />
        public string[] ReadLog(int count) => _log.Skip(Math.Max(0, _log.Count - count)).ToArray();

        /// <inheritdoc />
        public void SetTestMode(bool on)
        {
            _testMode = on;
            _testSources?.SetTestMode(on);
            Note("test mode " + (on ? "on" : "off"));
        }

        /// <inheritdoc />
        public bool InjectSensorValue(ChannelId channel, int value, out string error)
        {
            if (!EnsureNode(out var reason))
            {
                error = "node not running: " + reason;
                return false;
            }

            return _testSources!.Inject(channel, value, out error);
        }

        /// <inheritdoc />
        public bool RunTestCycle(int cycleNumber, out string line)
        {
            if (!EnsureNode(out var reason))
            {
                line = reason;
                return false;
            }

            var ok = TestCycle.Run(Node!, TestClock, SensingConfiguration.ToEventSettings(Config.Active).QuietIntervalMs, _rawSources.Length, cycleNumber, out line);
            SyncWorld();
            return ok;
        }

        /// <summary>Air temperature from the rig's thermometer as a reading source.</summary>
        private sealed class ThermometerSource : ISensorSource
        {
            private readonly ITemperatureProbe _probe;

            public ThermometerSource(ITemperatureProbe probe) => _probe = probe;

            public ChannelId Channel => ChannelId.TemperatureMillicelsius;

            public bool TrySample(ref Reading reading)
            {
                reading.Channel = Channel;
                if (_probe.TryReadMillicelsius(out var m))
                {
                    reading.Value = m;
                }
                else
                {
                    reading.Status |= ReadingStatus.NoEcho;
                }

                return true;
            }
        }
    }
}
