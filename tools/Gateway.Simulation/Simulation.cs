using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Gateway.Cloud.Ingest;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Uplink;
using Gateway.Virtual.Cellular;
using Gateway.Virtual.LoRa;
using Gateway.Virtual.Time;

namespace Gateway.Simulation
{
    /// <summary>
    /// A simulated deployment: gateways running the real firmware node on virtual hardware, a LoRaWAN network or an
    /// MQTT path with loss and an outage, power cuts, and the real cloud receiver storing into SQLite. Everything is
    /// seeded: the same options give the same run.
    /// </summary>
    public sealed partial class Simulation : IDisposable
    {
        private readonly SimOptions _options;
        private readonly Random _random;
        private readonly List<(long Start, long End)> _outages = new();
        private readonly VirtualClock _networkClock;
        private IReceiverStore? _store;
        private (string Host, int Port, string? User, string? Password, string Run)? _broker;

        /// <summary>Prepares the run (nothing runs until <see cref="Run"/>).</summary>
        public Simulation(SimOptions options)
        {
            _options = options;
            _random = new Random(options.Seed);
            Scenario = SimScenarios.Get(options.Scenario);
            Days = options.Days ?? Scenario.Days;
            Directory.CreateDirectory(options.OutDir);
            DatabasePath = Path.Combine(options.OutDir, "received.db");
            foreach (var f in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
            {
                File.Delete(f);
            }

            var start = Scenario.Physics.StartUtc.ToUnixTimeMilliseconds();
            StartWallMs = start;
            EndWallMs = start + (long)(Days * 86_400_000);
            var outageHours = options.OutageHours ?? Scenario.OutageHours;
            if (outageHours > 0)
            {
                // Mid-run, and over before the run ends (a short run gets a shorter outage, said in the report).
                outageHours = Math.Min(outageHours, Days * 24 * 0.4);
                var mid = options.OutageStartHours is { } at ? start + (long)(at * 3_600_000) : start + (long)(Days * 86_400_000 * 0.55);
                _outages.Add((mid, mid + (long)(outageHours * 3_600_000)));
            }

            _networkClock = new VirtualClock(start);
            Network = new VirtualLoRaNetwork(_networkClock, options.Seed, options.Loss);
            foreach (var (s, e) in _outages)
            {
                Network.AddOutage(s, e);
            }

            Keys = new KeyRing();
            EnergyProfile = options.EnergyProfile();
            var placement = new Random(options.Seed + 911); // its own stream: every other draw stays as without placement
            for (var i = 0; i < options.Gateways; i++)
            {
                var g = new SimGateway(i, Scenario, options.Seed * 1_000 + i, MakeTransport);
                if (options.PlacesGateways)
                {
                    g.Link = LinkPlanner.Place(placement, options.DistanceKm);
                    g.DataRate = g.Link.DataRate;
                }

                var supply = Scenario.Supply?.Invoke(start) ?? new Energy.PrimaryCell();
                g.AttachEnergy(EnergyProfile, supply, options.Transport == "lora", options.Transport == "cellular", batteryChannel: supply is Energy.SolarKit);
                Gateways.Add(g);
                Keys.Add(g.DeviceId, 1, g.Key);
            }

            if (options.Broker == null)
            {
                _store = OpenEmptyStore();
                Receiver = new CloudReceiver(_store, Keys);
                Network.Sink = OnLoRaUplink;
            }
            else
            {
                try
                {
                    ConnectBroker(options);
                }
                catch
                {
                    // Nothing started here may outlive a simulation that never was.
                    Link?.Dispose();
                    Service?.Dispose();
                    DisposeReceivers();
                    _store?.Dispose();
                    throw;
                }
            }

            var cuts = options.PowerCuts ?? Scenario.PowerCuts;
            foreach (var g in Gateways)
            {
                for (var c = 0; c < cuts; c++)
                {
                    PowerCutSchedule.Add((start + 3_600_000 + (long)(_random.NextDouble() * (EndWallMs - start - 7_200_000)), g));
                }
            }

            PowerCutSchedule.Sort((a, b) => a.WallMs.CompareTo(b.WallMs));
            if (options.ModemHangs > 0 && options.Transport == "cellular")
            {
                // A separate random stream: the power-cut schedule and everything after it stay as without hangs.
                var hangRandom = new Random(options.Seed + 77);
                foreach (var g in Gateways)
                {
                    for (var h = 0; h < options.ModemHangs; h++)
                    {
                        ModemHangSchedule.Add((start + 3_600_000 + (long)(hangRandom.NextDouble() * (EndWallMs - start - 7_200_000)), g));
                    }
                }

                ModemHangSchedule.Sort((a, b) => a.WallMs.CompareTo(b.WallMs));
            }
        }

        /// <summary>The scenario.</summary>
        public SimScenario Scenario { get; }

        /// <summary>The currents and named timings every gateway's energy account uses (<c>--boot-ms</c>, <c>--cycle-ms</c> set two).</summary>
        public Energy.CurrentProfile EnergyProfile { get; }

        /// <summary>Length in days.</summary>
        public double Days { get; }

        /// <summary>Start of the run, Unix ms.</summary>
        public long StartWallMs { get; }

        /// <summary>End of the run, Unix ms.</summary>
        public long EndWallMs { get; }

        /// <summary>The receiver's database file.</summary>
        public string DatabasePath { get; }

        /// <summary>
        /// The receiver's database. With a receiver process it opens once that process has stopped (after
        /// <see cref="Run"/>): every figure is then read from what the separate receiver stored.
        /// </summary>
        public IReceiverStore Store => _store ??= (ReceiverProcesses.Any(p => p.ExitCode is null)
            ? throw new InvalidOperationException("the receiver process still owns the database: read it after Run")
            : ReceiverStoreFactory.Open(DatabaseSpec));

        /// <summary>The in-process receiver (null when the receiver runs as its own process).</summary>
        public CloudReceiver? Receiver { get; private set; }

        /// <summary>The (first) receiver process (<c>./gateway cloud run</c>), when the run goes through a broker with the default receiver.</summary>
        public ReceiverProcess? ReceiverProcess => ReceiverProcesses.Count > 0 ? ReceiverProcesses[0] : null;

        /// <summary>The ChirpStack uplink events of a LoRaWAN run, one JSON object a line (written at the end of <see cref="Run"/>).</summary>
        public string EventsPath => Path.Combine(_options.OutDir, "chirpstack-events.jsonl");

        /// <summary>The key file the simulator wrote for the receiver process.</summary>
        public string KeyFilePath => Path.Combine(_options.OutDir, "keys.json");

        /// <summary>Messages the receiver process had handled when the run ended (its last status line), or -1.</summary>
        public long ReceiverMessages { get; private set; } = -1;

        /// <summary>The receiver process's stopped line (its own figures), raw JSON.</summary>
        public string? ReceiverStopped { get; private set; }

        /// <summary>The keys the receiver holds.</summary>
        public KeyRing Keys { get; }

        /// <summary>The receiver's MQTT service, when the run goes through a broker with an in-process receiver.</summary>
        public MqttReceiverService? Service { get; private set; }

        /// <summary>The operators' link to the broker (cellular operator, LoRaWAN network server), when the run goes through one.</summary>
        public BrokerLink? Link { get; private set; }

        /// <summary>The virtual LoRaWAN network.</summary>
        public VirtualLoRaNetwork Network { get; }

        /// <summary>The gateways.</summary>
        public List<SimGateway> Gateways { get; } = new();

        /// <summary>Planned power cuts.</summary>
        public List<(long WallMs, SimGateway Gateway)> PowerCutSchedule { get; } = new();

        /// <summary>Planned cellular modem firmware hangs.</summary>
        public List<(long WallMs, SimGateway Gateway)> ModemHangSchedule { get; } = new();

        /// <summary>The link outages.</summary>
        public IReadOnlyList<(long Start, long End)> Outages => _outages;

        /// <summary>Forged or altered batches the receiver accepted (must stay 0).</summary>
        public int ForgedAccepted { get; private set; }

        /// <summary>Forged or altered batches tried.</summary>
        public int ForgedTried { get; private set; }

        /// <summary>LoRaWAN uplinks the in-process receiver refused by port or fragment shape (must stay 0).</summary>
        public int LoRaUplinksRefused { get; private set; }

        /// <summary>The in-process receiver's LoRaWAN port handling (batches, fragments reassembled; one receiver that never restarts keeps fragments in memory).</summary>
        public LoRaBatchAssembler LoRaBatches { get; } = new();

        /// <summary>Cloud-side transport bytes received (all uplinks that reached the receiver).</summary>
        public long BytesReceived { get; private set; }

        /// <summary>Hands the network server the downlink commands the receiver published (acknowledgements for the devices).</summary>
        private void TakeNetworkCommands()
        {
            while (Link != null && Link.TryTakeNetworkCommand(out var topic, out var body))
            {
                Network.HandleDownlinkCommand(topic, body);
            }
        }

        /// <summary>Runs the deployment to its end; <paramref name="progress"/> gets the fraction done now and then.</summary>
        public void Run(Action<double>? progress = null)
        {
            var cutIndex = 0;
            var hangIndex = 0;
            var lastReport = 0.0;
            var forgeries = _options.ForgeryAttempts;
            var forgeEvery = forgeries > 0 ? (EndWallMs - StartWallMs) / forgeries : long.MaxValue;
            var nextForgery = StartWallMs + forgeEvery / 2;
            while (true)
            {
                var g = Gateways[0];
                foreach (var x in Gateways)
                {
                    if (x.NextWakeWallMs < g.NextWakeWallMs)
                    {
                        g = x;
                    }
                }

                var t = g.NextWakeWallMs;
                if (cutIndex < PowerCutSchedule.Count && PowerCutSchedule[cutIndex].WallMs <= t)
                {
                    var (cutAt, victim) = PowerCutSchedule[cutIndex++];
                    AdvanceTo(victim, cutAt);
                    victim.CutPower();
                    continue;
                }

                if (hangIndex < ModemHangSchedule.Count && ModemHangSchedule[hangIndex].WallMs <= t)
                {
                    var (hangAt, hung) = ModemHangSchedule[hangIndex++];
                    AdvanceTo(hung, hangAt);
                    hung.Modem?.Hang();
                    continue;
                }

                if (t >= EndWallMs)
                {
                    break;
                }

                if (t >= nextForgery)
                {
                    TryForgery(t);
                    nextForgery += forgeEvery;
                }

                AdvanceTo(g, t);
                TakeNetworkCommands();
                g.Step();
                var done = (double)(t - StartWallMs) / (EndWallMs - StartWallMs);
                Pace(done);
                if (progress != null && done - lastReport >= 0.01)
                {
                    lastReport = done;
                    progress(done);
                }
            }

            foreach (var g in Gateways)
            {
                g.CloseEnergy(EndWallMs);
            }

            // The end of the run: sampling stops; every gateway keeps sending what it still holds, as its airtime
            // budget allows, until the cloud has acknowledged everything (at most two virtual days).
            var phaseWatch = System.Diagnostics.Stopwatch.StartNew();
            if (Link == null)
            {
                foreach (var g in Gateways)
                {
                    AdvanceTo(g, Math.Max(g.Clock.WallTimeMs, EndWallMs));
                    for (var i = 0; i < 288 && g.Node is { HasUnacknowledged: true }; i++)
                    {
                        g.Node.SendNow();
                        AdvanceTo(g, g.Clock.WallTimeMs + 600_000);
                    }
                }
            }
            else
            {
                // Through a broker the acknowledgements come back in real time: every gateway sends, then all wait
                // together until the acknowledgements stop arriving, then every gateway takes them; ten virtual
                // minutes a round.
                var pending = Gateways.Where(g => g.Node is { HasUnacknowledged: true }).ToList();
                foreach (var g in pending)
                {
                    AdvanceTo(g, Math.Max(g.Clock.WallTimeMs, EndWallMs));
                }

                for (var round = 0; round < 288 && pending.Count > 0; round++)
                {
                    foreach (var g in pending)
                    {
                        TakeNetworkCommands();
                        g.Node!.SendNow();
                    }

                    WaitForQuiet();
                    foreach (var g in pending)
                    {
                        g.Node!.SendNow(); // takes the acknowledgements (and sends what is next, if anything)
                        AdvanceTo(g, g.Clock.WallTimeMs + 600_000);
                    }

                    pending.RemoveAll(g => g.Node is not { HasUnacknowledged: true });
                }
            }

            EndPhaseSeconds = phaseWatch.Elapsed.TotalSeconds;

            if (Service != null)
            {
                // Let the last acknowledgements and audit entries land, then stop receiving so the database is ours.
                Service.Drain(TimeSpan.FromSeconds(60));
                Link!.Dispose();
                Service.Dispose();
            }

            if (ReceiverProcesses.Count > 0)
            {
                FinishReceivers();
            }

            if (Network.UpEvents.Count > 0)
            {
                // Every ChirpStack v4 "up" event the network server published, one JSON object a line: what a payload
                // formatter (tools/decoder-js) sees.
                File.WriteAllLines(EventsPath, Network.UpEvents);
            }

            progress?.Invoke(1.0);
        }

        /// <summary>
        /// Messages published on the broker for the receiver (through a broker): the gateways' modems' and the
        /// operators' (all over the operators' link).
        /// </summary>
        public long MessagesForReceiver => Link?.Published ?? 0;

        /// <summary>Uplinks whose acknowledgement did not come back within <see cref="DownlinkDataWaitMs"/> (LoRaWAN through a broker).</summary>
        public int DownlinkDataWaitsTimedOut { get; private set; }

        /// <summary>How long (real ms) the virtual network server waits for the application's answer to an uplink through the broker.</summary>
        public int DownlinkDataWaitMs { get; set; } = 500;

        /// <summary>True when the receiver reported every published message handled before it was stopped (broker runs).</summary>
        public bool ReceiverDrained { get; private set; } = true;

        /// <summary>Real seconds the end of the run took (every gateway sending what it still held, until acknowledged).</summary>
        public double EndPhaseSeconds { get; private set; }

        /// <summary>Waits (real time) until no downlink has arrived for 50 ms, at most 5 s.</summary>
        private void WaitForQuiet()
        {
            var total = System.Diagnostics.Stopwatch.StartNew();
            var last = Link!.DownlinksReceived + Link.NetworkCommandsReceived;
            var quiet = System.Diagnostics.Stopwatch.StartNew();
            while (quiet.ElapsedMilliseconds < 50 && total.ElapsedMilliseconds < 5_000)
            {
                Thread.Sleep(5);
                var now = Link.DownlinksReceived + Link.NetworkCommandsReceived;
                if (now != last)
                {
                    last = now;
                    quiet.Restart();
                }
            }
        }

        private void AdvanceTo(SimGateway g, long wallMs)
        {
            var d = wallMs - g.Clock.WallTimeMs;
            if (d > 0)
            {
                g.Clock.Advance(d);
            }

            var n = g.Clock.WallTimeMs - _networkClock.WallTimeMs;
            if (n > 0)
            {
                _networkClock.Advance(n);
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            foreach (var g in Gateways)
            {
                g.Modem?.Dispose(); // the modems' own MQTT clients (through a broker)
            }

            StopKilling();
            Link?.Dispose();
            Service?.Dispose();
            DisposeReceivers();
            _store?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
