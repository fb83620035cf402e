using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Bindings.Rak3172;
using Gateway.Cloud.Ingest;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.Simulation;
using Gateway.Virtual.Flash;
using Gateway.Virtual.LoRa;
using Gateway.Virtual.Security;
using Gateway.Virtual.Time;

namespace Gateway.Tests.Node
{
    /// <summary>
    /// A gateway that deep-sleeps between wakes: every wake rebuilds everything that lives in RAM (record log, node,
    /// drivers, transport) over the same flash, boots, runs one cycle, suspends and sleeps, exactly as the device's
    /// Program.Main does after each deep-sleep reset. Power cuts fall on a random flash write of a wake.
    /// </summary>
    internal sealed class DeepSleepRig : INodeObserver, IWallClockSetter, IDisposable
    {
        public const uint DeviceId = 4242;
        private const string DevEui = "70B3D57ED0001092";
        private const string JoinEui = "70B3D57ED0000001";

        private readonly Random _random;
        private readonly string _dbPath = Path.Combine(Path.GetTempPath(), "gw-deepsleep-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        private readonly byte[] _key = new byte[32];
        private readonly byte[] _appKey = new byte[16];
        private readonly List<(long Start, long End)> _outages = new();
        private readonly bool _lora;
        private uint _lastBoot;
        private long _highestSeenSequence = -1;

        public DeepSleepRig(int seed, bool lora)
        {
            _random = new Random(seed);
            _random.NextBytes(_key);
            _random.NextBytes(_appKey);
            _lora = lora;
            StartWallMs = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            Clock = new VirtualClock(StartWallMs, ClockQuality.Network);
            Flash = new VirtualFlash(seed, 4096, PowerCutModel.LittleFs);
            Store = new SqliteReceiverStore(_dbPath);
            Receiver = new CloudReceiver(Store, new KeyRing().Add(DeviceId, 1, _key));
            if (lora)
            {
                Network = new VirtualLoRaNetwork(Clock, seed);
                Network.RegisterDevice(DevEui, JoinEui, _appKey, "gw-deepsleep");
                Network.Sink = OnLoRaUplink;
                Line = new VirtualSerialLine(Clock);
                Module = new VirtualRak3172(Line, Network);
            }
        }

        public long StartWallMs { get; }

        public VirtualClock Clock { get; }

        public VirtualFlash Flash { get; }

        public SqliteReceiverStore Store { get; }

        public CloudReceiver Receiver { get; }

        public VirtualLoRaNetwork? Network { get; }

        public VirtualSerialLine? Line { get; }

        public VirtualRak3172? Module { get; }

        /// <summary>The LoRaWAN airtime ledger (kept across wakes).</summary>
        public DwellTimeBudget Budget { get; } = new(new DwellTimeSettings());

        /// <summary>Probability that a wake has a power cut armed somewhere in it.</summary>
        public double CutProbability { get; set; } = 0.2;

        /// <summary>Loss on the MQTT loopback path.</summary>
        public double Loss { get; set; } = 0.1;

        /// <summary>Readings the observer saw committed: sequence → (time, channel, value).</summary>
        public Dictionary<uint, (long TimeMs, byte Channel, int Value)> Committed { get; } = new();

        public int Wakes { get; private set; }

        /// <summary>The site's sensing settings (thresholds); defaults: no alarm levels.</summary>
        public SensingSettings Sensing { get; set; } = new() { QuietSampleIntervalMs = 60_000 }; // a wake a minute: many wakes

        /// <summary>Alarm records written, over all wakes.</summary>
        public int AlarmsRaised { get; private set; }

        public int Cuts { get; private set; }

        public int CutsDuringBoot { get; private set; }

        public int Sends { get; private set; }

        /// <summary>Wakes that fell inside a link outage (the backlog had to wait in flash).</summary>
        public int OutageWakes { get; private set; }

        public uint LastBootCounter => _lastBoot;

        public List<string> Violations { get; } = new();

        public void AddOutage(long fromWallMs, long toWallMs) => _outages.Add((fromWallMs, toWallMs));

        /// <summary>One wake: build, boot, cycle, suspend, deep sleep. A power cut ends the wake early.</summary>
        public void Wake(bool allowCut = true)
        {
            Wakes++;
            if (_outages.Any(o => Clock.WallTimeMs >= o.Start && Clock.WallTimeMs < o.End))
            {
                OutageWakes++;
            }

            bool armed = allowCut && _random.NextDouble() < CutProbability;
            if (armed)
            {
                Flash.ArmCut(_random.Next(1, 10), torn: _random.Next(2) == 0);
            }

            long sleepMs = 1_000;
            bool booted = false;
            try
            {
                var node = Build();
                node.Boot();
                booted = true;
                CheckMonotonic(node);
                long next = node.RunCycle();
                AlarmsRaised += node.AlarmsRaised;
                node.Suspend();

                sleepMs = Math.Max(1_000, next - Clock.UptimeMs);
            }
            catch (PowerCutException)
            {
                Cuts++;
                if (!booted)
                {
                    CutsDuringBoot++;
                }

                Flash.PowerOn();
            }

            Flash.Disarm();
            if (_lora && armed && _random.Next(4) == 0)
            {
                // A real power cut also resets the radio module.
                Module!.Reset();
            }

            Sleep(sleepMs);
        }

        /// <summary>The end of the run: link up, no cuts; sends until the cloud acknowledged everything.</summary>
        public int FinalFlush(int maxRounds)
        {
            _outages.Clear();
            Loss = 0;
            int rounds = 0;
            for (; rounds < maxRounds; rounds++)
            {
                var node = Build();
                node.Boot();
                CheckMonotonic(node);
                if (!node.HasUnacknowledged)
                {
                    break;
                }

                node.SendNow();
                node.Suspend();
                Sleep(600_000);
            }

            return rounds;
        }

        private GatewayNode Build()
        {
            var log = new RecordLog(Flash, new RecordLogSettings());
            var sources = new ISensorSource[] { new RiverLevel(Clock, StartWallMs) };
            var chains = new[] { new FilterChain(new IReadingFilter[] { new MedianFilter(3) }) };
            var sensing = Sensing;
            var settings = new NodeSettings { DeviceId = DeviceId, QuietSendIntervalMs = 2 * 3_600_000L };
            var node = new GatewayNode(settings, Clock, this, new HostHmacSha256(1, _key), log, sources, chains, sensing,
                new SeededRandom((ulong)_random.Next() + 1)) { Observer = this };
            node.AddTransport(_lora ? LoRaTransport() : MqttTransport(), 1, PayloadClass.Backfill);
            return node;
        }

        private IUplinkTransport MqttTransport()
        {
            return new CountingTransport(new LoopbackTransport("mqtt-lte", Clock,
                payload => Receiver.Ingest("cellular", payload, Clock.WallTimeMs).AckDownlinks,
                Loss, _outages, _random.Next()), this);
        }

        private IUplinkTransport LoRaTransport()
        {
            var settings = new Rak3172Settings { DataRate = 3 };
            Array.Copy(Convert.FromHexString(DevEui), settings.DevEui, 8);
            Array.Copy(Convert.FromHexString(JoinEui), settings.JoinEui, 8);
            Array.Copy(_appKey, settings.AppKey, 16);
            var driver = new Rak3172(Line!, Clock, settings, new SeededRandom((ulong)_random.Next() + 7), Budget);
            driver.Initialize();
            return new CountingTransport(new Rak3172Transport(driver, Budget, Clock), this);
        }

        private void OnLoRaUplink(string json)
        {
            var r = ChirpStackEvents.ReadUplink(System.Text.Encoding.UTF8.GetBytes(json), DateTimeOffset.FromUnixTimeMilliseconds(Clock.WallTimeMs));
            if (!r.Ok)
            {
                return;
            }

            var outcome = Receiver.Ingest("lora", r.Uplink!.Payload, r.Uplink.ReceivedAt.ToUnixTimeMilliseconds());
            foreach (var ack in outcome.AckDownlinks)
            {
                Network!.EnqueueDownlink(r.Uplink.DevEui, 10, ack);
            }
        }

        private void CheckMonotonic(GatewayNode node)
        {
            if (node.BootCounter <= _lastBoot)
            {
                Violations.Add($"wake {Wakes}: boot counter {node.BootCounter} after {_lastBoot}");
            }

            _lastBoot = node.BootCounter;
            if (node.Log.NextSequence <= _highestSeenSequence)
            {
                Violations.Add($"wake {Wakes}: next sequence {node.Log.NextSequence} after committed {_highestSeenSequence}");
            }
        }

        /// <summary>Deep sleep: RAM and uptime are lost, the RTC keeps the wall time.</summary>
        private void Sleep(long ms)
        {
            Clock.Advance(ms);
            Clock.Reboot(keepWallTime: true);
        }

        void INodeObserver.OnReadingStored(uint sequence, ref Reading reading)
        {
            if (Committed.ContainsKey(sequence))
            {
                Violations.Add($"wake {Wakes}: sequence {sequence} handed out twice");
            }

            Committed[sequence] = (reading.TimeMs, (byte)reading.Channel, reading.Value);
            _highestSeenSequence = Math.Max(_highestSeenSequence, sequence);
        }

        void INodeObserver.OnEventStored(uint sequence, ref SensingEvent sensingEvent)
        {
            _highestSeenSequence = Math.Max(_highestSeenSequence, sequence);
        }

        void IWallClockSetter.SetWallTime(long wallTimeMs, ClockQuality quality) => Clock.SetWallTime(wallTimeMs, quality);

        /// <summary>The receiver's rows of this gateway's readings (channels below 30: not events).</summary>
        public List<ReceivedReading> ReceivedReadings() => Store.AllReadings().Where(r => r.DeviceId == DeviceId && r.Channel < 30).ToList();

        public void Dispose()
        {
            Store.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _dbPath, _dbPath + "-wal", _dbPath + "-shm" })
            {
                File.Delete(f);
            }
        }

        /// <summary>A slow tide with a little noise, in millimetres, from the wall clock (survives the reboots).</summary>
        private sealed class RiverLevel : ISensorSource
        {
            private readonly IClock _clock;
            private readonly long _t0;

            public RiverLevel(IClock clock, long t0)
            {
                _clock = clock;
                _t0 = t0;
            }

            public ChannelId Channel => ChannelId.WaterLevelMillimeters;

            public bool TrySample(ref Reading reading)
            {
                double hours = (_clock.WallTimeMs - _t0) / 3_600_000.0;
                reading.Value = 600 + (int)(200 * Math.Sin(hours * 2 * Math.PI / 12.4)) + (int)(_clock.WallTimeMs / 1000 % 7);
                return true;
            }
        }

        /// <summary>Counts hand-overs to the real transport.</summary>
        private sealed class CountingTransport : IUplinkTransport
        {
            private readonly IUplinkTransport _inner;
            private readonly DeepSleepRig _rig;

            public CountingTransport(IUplinkTransport inner, DeepSleepRig rig)
            {
                _inner = inner;
                _rig = rig;
            }

            public string Name => _inner.Name;

            public bool IsAvailable => _inner.IsAvailable;

            public int MaxPayloadNow => _inner.MaxPayloadNow;

            public bool EnsureReady() => _inner.EnsureReady();

            public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
            {
                var r = _inner.Send(data, offset, count, payloadClass);
                if (r.Status == UplinkStatus.Sent)
                {
                    _rig.Sends++;
                }

                return r;
            }

            public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel) => _inner.PollDownlink(buffer, offset, capacity, out channel);
        }
    }
}
