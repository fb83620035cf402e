using System;
using System.Collections.Generic;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// A sampling workload for the storage benchmark, shaped like the node's: N channels every sampling instant into
    /// the real record log on virtual flash (4 KB blocks, littlefs wear model), one commit per wake
    /// (<see cref="RecordLog.BeginWake"/> … <see cref="RecordLog.EndWake"/>, as <c>GatewayNode.RunCycle</c> does) or,
    /// as the baseline, one commit per channel value; a deep sleep (<c>Suspend</c>, then a reboot whose recovery is
    /// the log's <c>Open</c>) every <c>wakesPerBoot</c> wakes; the cloud acknowledges every hour.
    /// </summary>
    public sealed class StorageWorkload
    {
        public const long Minute = 60_000;
        public const long T0 = 1_767_225_600_000L;

        private readonly bool _perWake;
        private readonly int[] _value = new int[32];

        public StorageWorkload(int seed, RecordLogSettings settings, bool perWake, VirtualFlash? flash = null)
        {
            Settings = settings;
            _perWake = perWake;
            Flash = flash ?? new VirtualFlash(seed, 4096);
            Log = new RecordLog(Flash, settings);
            Log.Open();
            Rng = new Random(seed);
        }

        public RecordLogSettings Settings { get; }

        public VirtualFlash Flash { get; }

        public RecordLog Log { get; private set; }

        public Random Rng { get; }

        /// <summary>Channel values appended (each a reading record in the log).</summary>
        public long Readings { get; private set; }

        /// <summary>Sampling instants (wakes) run.</summary>
        public long Instants { get; private set; }

        public long Commits { get; private set; }

        public int Boots { get; private set; } = 1;

        /// <summary>Flash bytes read by the recoveries of deep-sleep wakes (the log's <c>Open</c>).</summary>
        public long RecoveryBytesRead { get; private set; }

        /// <summary>Acknowledge every hour (off for the power-cut sweep, which reads everything back).</summary>
        public bool Acknowledge { get; set; } = true;

        /// <summary>Called with (time, channel, value) before each value is handed to the log (at risk from then on).</summary>
        public Action<long, int, int>? Taken { get; set; }

        /// <summary>Called with the instant's time when its commit has returned (its values are durable).</summary>
        public Action<long>? Committed { get; set; }

        /// <summary>
        /// Runs <paramref name="instants"/> sampling instants of <paramref name="channels"/> readings each, one every
        /// <paramref name="stepMinutes"/> minutes, with a deep sleep after every <paramref name="wakesPerBoot"/> wakes.
        /// </summary>
        public void Run(long instants, int channels, int stepMinutes, int wakesPerBoot)
        {
            var health = new StorageHealth();
            for (long m = 0; m < instants; m++)
            {
                long t = T0 + Instants * stepMinutes * Minute;
                Instants++;
                if (_perWake)
                {
                    Log.BeginWake();
                }

                for (int c = 0; c < channels; c++)
                {
                    _value[c] += Rng.Next(-6, 7);
                    var r = new Reading((ChannelId)(1 + c), t, 1000 * c + _value[c], ReadingStatus.Ok);
                    Taken?.Invoke(t, 1 + c, r.Value);
                    Log.Append(ref r);
                    Readings++;
                }

                if (_perWake)
                {
                    Log.EndWake();
                }

                Committed?.Invoke(t);
                if (Acknowledge && (Instants * stepMinutes) % 60 == 0)
                {
                    Log.Acknowledge(Log.OldestSequence, Log.NextSequence - 1);
                }

                if (Instants % wakesPerBoot == 0)
                {
                    Log.Suspend();
                    Log.FillHealth(health, 1, 1);
                    Commits += health.Commits;
                    Log = new RecordLog(Flash, Settings);
                    long read = Flash.BytesRead;
                    Log.Open();
                    RecoveryBytesRead += Flash.BytesRead - read;
                    Boots++;
                }
            }

            Log.FillHealth(health, 1, 1);
            Commits += health.Commits;
        }
    }

    /// <summary>An ESP32 module's flash size and the littlefs <c>config</c> partition nanoFramework gives it.</summary>
    public sealed record FlashModule(int FlashMb, int ConfigPartitionKb)
    {
        /// <summary>4 KB erase sectors (littlefs blocks) in the partition; littlefs wear-levels over all of them.</summary>
        public int PartitionBlocks => ConfigPartitionKb * 1024 / 4096;

        /// <summary>
        /// nf-interpreter <c>targets/ESP32/_IDF/esp32/partitions_nanoclr_{4,8,16}mb.csv</c> (commit 099c96e8):
        /// <c>config, data, littlefs</c> is 0x40000 (256 KB), 0x200000 (2 MB) and 0x300000 (3 MB).
        /// </summary>
        public static readonly FlashModule[] All = { new(4, 256), new(8, 2048), new(16, 3072) };

        public static FlashModule? Find(int flashMb) => Array.Find(All, m => m.FlashMb == flashMb);
    }

    /// <summary>Wear of one workload: what the partition's blocks see, whatever the module.</summary>
    public sealed record StorageWear(double FlashBytesPerReading, double CommitsPerHour, double FlashWritesPerHour, double ErasesPerDay, double RecoveryBytesReadPerWake)
    {
        public double CyclesPerBlockPerDay(FlashModule m) => ErasesPerDay / m.PartitionBlocks;

        /// <summary>Years until the average block reaches the datasheet's endurance (<see cref="RecordLog.EnduranceCycles"/>).</summary>
        public double LifetimeYears(FlashModule m) => RecordLog.EnduranceCycles / CyclesPerBlockPerDay(m) / 365.25;
    }

    /// <summary>What a power cut at the worst instant loses, measured by cutting at every flash write of a workload.</summary>
    public sealed record StorageAtRisk(int Cuts, int MaxInstantsLost, int MaxValuesLost, int CommittedValuesLost, int CorruptValues);

    /// <summary>The storage benchmark's measurements (used by <c>bench storage</c> and its tests).</summary>
    public static class StorageBenchmark
    {
        /// <summary>
        /// The firmware's wake policy (<c>firmware/Gateway.Firmware/Program.cs</c>): a next wake closer than 60 s keeps
        /// the gateway awake, for at most 600 s, then it deep-sleeps once. At 1-minute sampling that is 10 wakes per
        /// boot; at the 10-minute cadence every wake is a boot.
        /// </summary>
        public static int WakesPerBoot(int stepMinutes) => stepMinutes <= 1 ? 10 : 1;

        /// <summary>The production log settings (defaults), with a fixed epoch seed for a reproducible run.</summary>
        public static RecordLogSettings ProductionSettings() => new() { EpochSeed = 1 };

        /// <summary>Runs <paramref name="days"/> of sampling and measures flash bytes, commits and erases.</summary>
        public static StorageWear Wear(int seed, double days, int channels, int stepMinutes, bool perWake)
        {
            var w = new StorageWorkload(seed, ProductionSettings(), perWake);
            double erasesBefore = w.Flash.Erases;
            long bytesBefore = w.Flash.BytesWritten;
            long opsBefore = w.Flash.WriteOps;
            long instants = (long)(days * 1440 / stepMinutes);
            w.Run(instants, channels, stepMinutes, WakesPerBoot(stepMinutes));
            double hours = instants * stepMinutes / 60.0;
            return new StorageWear(
                (double)(w.Flash.BytesWritten - bytesBefore) / w.Readings,
                w.Commits / hours,
                (w.Flash.WriteOps - opsBefore) / hours,
                (w.Flash.Erases - erasesBefore) / (hours / 24),
                (double)w.RecoveryBytesRead / Math.Max(1, w.Boots - 1));
        }

        /// <summary>
        /// Cuts the power at every flash write of a workload (<paramref name="instants"/> wakes at 1-minute sampling
        /// with the production wake policy), under both cut models (a write lost whole; a write torn part-way with
        /// garbage after it), reboots, recovers, and counts what was taken but is not in the log: the most sampling
        /// instants and channel values one cut lost, committed values lost (must be 0) and values read back altered.
        /// </summary>
        public static StorageAtRisk AtRisk(int seed, int channels, int instants)
        {
            var probe = new StorageWorkload(seed, ProductionSettings(), true) { Acknowledge = false };
            long start = probe.Flash.WriteOps;
            probe.Run(instants, channels, 1, WakesPerBoot(1));
            int writes = (int)(probe.Flash.WriteOps - start);
            int cuts = 0, maxInstants = 0, maxValues = 0, committedLost = 0, corrupt = 0;
            foreach (var model in new[] { PowerCutModel.LittleFs, PowerCutModel.RawAppend })
            {
                foreach (bool torn in new[] { false, true })
                {
                    for (int k = 1; k <= writes; k++)
                    {
                        var flash = new VirtualFlash(seed + k, 4096, model);
                        var w = new StorageWorkload(seed, ProductionSettings(), true, flash) { Acknowledge = false };
                        var taken = new Dictionary<(long, int), int>();
                        var committed = new HashSet<long>();
                        w.Taken = (t, c, v) => taken[(t, c)] = v;
                        w.Committed = t => committed.Add(t);
                        flash.ArmCut(k, torn);
                        try
                        {
                            w.Run(instants, channels, 1, WakesPerBoot(1));
                            continue;
                        }
                        catch (PowerCutException)
                        {
                            cuts++;
                        }

                        flash.PowerOn();
                        var log = new RecordLog(flash, ProductionSettings());
                        log.Open();
                        var found = new HashSet<(long, int)>();
                        uint from = 0;
                        while (log.TryReadNext(from, out var r))
                        {
                            from = r.Sequence + 1;
                            if (r.Kind != RecordKind.Reading)
                            {
                                continue;
                            }

                            if (!taken.TryGetValue((r.TimeMs, (int)r.Channel), out int v) || v != r.Value || !found.Add((r.TimeMs, (int)r.Channel)))
                            {
                                corrupt++;
                            }
                        }

                        var lostInstants = new HashSet<long>();
                        int lostValues = 0;
                        foreach (var key in taken.Keys)
                        {
                            if (!found.Contains(key))
                            {
                                lostValues++;
                                lostInstants.Add(key.Item1);
                                committedLost += committed.Contains(key.Item1) ? 1 : 0;
                            }
                        }

                        maxInstants = Math.Max(maxInstants, lostInstants.Count);
                        maxValues = Math.Max(maxValues, lostValues);
                    }
                }
            }

            return new StorageAtRisk(cuts, maxInstants, maxValues, committedLost, corrupt);
        }
    }
}
