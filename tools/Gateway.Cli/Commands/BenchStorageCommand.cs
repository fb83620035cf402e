using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway bench storage: measured figures of the flash record log on virtual flash, per ESP32 module — flash
    /// bytes and commits per reading, erase wear and projected lifetime of the module's <c>config</c> partition, the
    /// readings a power cut at the worst instant loses (cut at every write), host append speed, RAM.
    /// </summary>
    public sealed class BenchStorageCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "bench";

        /// <inheritdoc />
        public Command Create()
        {
            var json = CommonOptions.Json();
            var seed = CommonOptions.Seed();
            var days = new Option<int>("--days") { Description = "simulated days of sampling for the wear figures", DefaultValueFactory = _ => 7 };
            var channels = new Option<int>("--channels") { Description = "channels sampled each wake (1-8)", DefaultValueFactory = _ => 4 };
            var flashMb = new Option<int?>("--flash-mb") { Description = "the module's flash: 4, 8 or 16 MB (default: all three, one figure set each)" };
            var cmd = new Command("storage", "record log per module: flash bytes per reading, erase wear, lifetime, readings at risk, appends/s, RAM (measured on virtual flash)");
            cmd.Options.Add(json);
            cmd.Options.Add(seed);
            cmd.Options.Add(days);
            cmd.Options.Add(channels);
            cmd.Options.Add(flashMb);
            cmd.SetAction(pr =>
            {
                int s = pr.GetValue(seed);
                int d = pr.GetValue(days);
                int ch = pr.GetValue(channels);
                int? mb = pr.GetValue(flashMb);
                FlashModule[] modules = FlashModule.All;
                if (mb is not null)
                {
                    var m = FlashModule.Find(mb.Value);
                    if (m is null)
                    {
                        Console.Error.WriteLine($"gateway bench storage: --flash-mb must be 4, 8 or 16 (got {mb})");
                        return 2;
                    }

                    modules = new[] { m };
                }

                if (d < 1 || d > 365 || ch < 1 || ch > 8)
                {
                    Console.Error.WriteLine("gateway bench storage: --days must be 1-365 and --channels 1-8");
                    return 2;
                }

                Run(s, d, ch, modules).Write(Console.Out, pr.GetValue(json));
                return 0;
            });
            return cmd;
        }

        /// <summary>Measures everything and returns the figures (one set per module; keys of a single module unprefixed).</summary>
        public static FigureReport Run(int seed, int days, int channels, FlashModule[] modules)
        {
            var report = new FigureReport();

            // Wear is a property of the workload; the module only sets how many blocks littlefs spreads it over.
            var minute = StorageBenchmark.Wear(seed, days, channels, 1, perWake: true);
            var tenMinutes = StorageBenchmark.Wear(seed, days, channels, 10, perWake: true);
            var perChannel = StorageBenchmark.Wear(seed, days, channels, 1, perWake: false);
            var risk = StorageBenchmark.AtRisk(seed, channels, 40);

            if (modules.Length == 1)
            {
                AddModule(report, modules[0], minute, tenMinutes, perChannel);
            }
            else
            {
                var list = new List<Dictionary<string, object?>>();
                foreach (var m in modules)
                {
                    var one = new FigureReport();
                    AddModule(one, m, minute, tenMinutes, perChannel);
                    var dict = new Dictionary<string, object?>();
                    foreach (var kv in one.Figures)
                    {
                        dict[kv.Key] = kv.Value;
                    }

                    list.Add(dict);
                }

                report.Add("modules", list);
            }

            report.Add("flash_bytes_per_reading", Math.Round(minute.FlashBytesPerReading, 2));
            report.Add("commits_per_hour", Math.Round(minute.CommitsPerHour, 1));
            report.Add("flash_writes_per_hour", Math.Round(minute.FlashWritesPerHour, 1));
            report.Add("readings_at_risk", risk.MaxInstantsLost);
            report.Add("channel_values_at_risk", risk.MaxValuesLost);
            report.Add("committed_readings_lost", risk.CommittedValuesLost);
            report.Add("readings_altered", risk.CorruptValues);
            report.Add("power_cuts_tried", risk.Cuts);
            report.Add("flash_bytes_per_reading_10min", Math.Round(tenMinutes.FlashBytesPerReading, 2));
            report.Add("recovery_bytes_read_per_wake_10min", Math.Round(tenMinutes.RecoveryBytesReadPerWake));
            report.Add("flash_bytes_per_reading_commit_per_channel", Math.Round(perChannel.FlashBytesPerReading, 2));
            report.Add("commits_per_hour_commit_per_channel", Math.Round(perChannel.CommitsPerHour, 1));
            report.Add("stored_bytes_per_reading", Math.Round(StoredBytesPerReading(out long outageRecovery), 2));
            report.Add("recovery_bytes_read_after_3_day_outage", outageRecovery);

            // Host speed: appends per second, steady state (sealing, reclaim) included, after a warm-up.
            var speed = new StorageWorkload(seed, StorageBenchmark.ProductionSettings(), true);
            speed.Run(2_000, channels, 1, int.MaxValue);
            var sw = Stopwatch.StartNew();
            speed.Run(50_000, channels, 1, int.MaxValue);
            sw.Stop();
            report.Add("appends_per_s", Math.Round(50_000.0 * channels / sw.Elapsed.TotalSeconds));

            var log = new RecordLog(new Gateway.Virtual.Flash.VirtualFlash(seed, 4096), StorageBenchmark.ProductionSettings());
            log.Open();
            report.Add("log_ram_bytes", log.RamBytes);
            report.Add("channels", channels);
            report.Add("sampling_s", 60);
            report.Add("wakes_per_boot", StorageBenchmark.WakesPerBoot(1));
            report.Add("endurance_cycles", RecordLog.EnduranceCycles);
            report.Add("days", days);
            return report;
        }

        private static void AddModule(FigureReport report, FlashModule m, StorageWear minute, StorageWear tenMinutes, StorageWear perChannel)
        {
            report.Add("flash_mb", m.FlashMb);
            report.Add("partition_kb", m.ConfigPartitionKb);
            report.Add("partition_blocks", m.PartitionBlocks);
            report.Add("erase_cycles_per_block_per_day", Math.Round(minute.CyclesPerBlockPerDay(m), 2));
            report.Add("lifetime_years", Math.Round(minute.LifetimeYears(m), 1));
            report.Add("lifetime_years_10min", Math.Round(tenMinutes.LifetimeYears(m), 1));
            report.Add("lifetime_years_commit_per_channel", Math.Round(perChannel.LifetimeYears(m), 1));
        }

        /// <summary>
        /// Bytes of flash per reading held, measured on a log filled for 3 days without acknowledgement (an outage),
        /// and what one wake's recovery then reads.
        /// </summary>
        private static double StoredBytesPerReading(out long recoveryBytesRead)
        {
            var flash = new Gateway.Virtual.Flash.VirtualFlash(3, 4096);
            var log = new RecordLog(flash, StorageBenchmark.ProductionSettings());
            log.Open();
            var rng = new Random(3);
            int v = 0;
            long n = 0;
            for (long m = 0; m < 3 * 1440; m++)
            {
                log.BeginWake();
                for (int c = 0; c < 4; c++)
                {
                    v += rng.Next(-6, 7);
                    var r = new Reading((ChannelId)(1 + c), StorageWorkload.T0 + m * StorageWorkload.Minute, v, ReadingStatus.Ok);
                    log.Append(ref r);
                    n++;
                }

                log.EndWake();
            }

            log.Suspend();
            long before = flash.BytesRead;
            new RecordLog(flash, StorageBenchmark.ProductionSettings()).Open();
            recoveryBytesRead = flash.BytesRead - before;

            int bytes = 0;
            foreach (var id in flash.FileIds)
            {
                if (id < 0x80000000)
                {
                    bytes += flash.GetRaw(id).Length;
                }
            }

            return (double)bytes / n;
        }
    }
}
