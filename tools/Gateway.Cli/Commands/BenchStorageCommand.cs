using System;
using System.CommandLine;
using System.Diagnostics;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway bench storage: measured figures of the flash record log on virtual flash — host append speed,
    /// flash bytes and commits per reading, erase wear and projected lifetime on the default 4 MB layout, RAM.
    /// </summary>
    public sealed class BenchStorageCommand : ICliCommand
    {
        /// <summary>The littlefs config partition of a 4 MB ESP32 module: 256 KB in 4 KB blocks, wear-levelled as a whole.</summary>
        private const int PartitionBlocks = 256 * 1024 / 4096;

        /// <inheritdoc />
        public string? Parent => "bench";

        /// <inheritdoc />
        public Command Create()
        {
            var json = CommonOptions.Json();
            var seed = CommonOptions.Seed();
            var days = new Option<int>("--days") { Description = "simulated days of 1-minute sampling for the wear figures", DefaultValueFactory = _ => 7 };
            var channels = new Option<int>("--channels") { Description = "channels sampled each minute", DefaultValueFactory = _ => 4 };
            var atRisk = new Option<int>("--at-risk") { Description = "readings that may be staged uncommitted (1: commit every reading)", DefaultValueFactory = _ => 1 };
            var cmd = new Command("storage", "record log: appends/s, flash bytes and commits per reading, erase wear, lifetime, RAM (measured on virtual flash)");
            cmd.Options.Add(json);
            cmd.Options.Add(seed);
            cmd.Options.Add(days);
            cmd.Options.Add(channels);
            cmd.Options.Add(atRisk);
            cmd.SetAction(pr =>
            {
                int s = pr.GetValue(seed);
                int d = pr.GetValue(days);
                int ch = pr.GetValue(channels);
                int risk = pr.GetValue(atRisk);
                var report = new FigureReport();

                // 1. Host speed: appends per second, steady state (sealing, reclaim) included.
                var speed = new StorageWorkload(s, Settings(risk));
                speed.Run(2_000, ch, false);
                var sw = Stopwatch.StartNew();
                speed.Run(50_000, ch, false);
                sw.Stop();
                report.Add("appends_per_s", Math.Round(50_000.0 * ch / sw.Elapsed.TotalSeconds));

                // 2. Wear and size under the chosen policy (default: every reading committed).
                Wear(report, "", s, d, ch, risk, deepSleep: false);

                // 3. The same with one commit per sampling instant (all channels of a minute at risk together).
                Wear(report, "_per_instant", s, d, ch, ch, deepSleep: false);

                // 4. Deep sleep between samples: every wake is a reboot (recovery scan, boot counter, exact reservation).
                Wear(report, "_deep_sleep", s, Math.Min(d, 2), ch, ch, deepSleep: true);

                // 5. The gateway's usual life: deep sleep at the normal 10-minute cadence (the 1- and 2-minute flood
                //    cadences above last hours a year), every reading committed.
                Wear(report, "_deep_sleep_10min", s, d, ch, risk, deepSleep: true, stepMinutes: 10);

                var log = new RecordLog(new Gateway.Virtual.Flash.VirtualFlash(s, 4096), Settings(risk));
                log.Open();
                report.Add("log_ram_bytes", log.RamBytes);
                report.Add("channels", ch);
                report.Add("sampling_s", 60);
                report.Add("partition_blocks", PartitionBlocks);
                report.Add("endurance_cycles", RecordLog.EnduranceCycles);
                report.Write(Console.Out, pr.GetValue(json));
                return 0;
            });
            return cmd;
        }

        private static RecordLogSettings Settings(int atRisk) => new() { MaxReadingsAtRisk = atRisk, EpochSeed = 1 };

        private static void Wear(FigureReport report, string suffix, int seed, int days, int channels, int atRisk, bool deepSleep, int stepMinutes = 1)
        {
            var w = new StorageWorkload(seed, Settings(atRisk));
            long minutes = days * 1440L;
            long instants = minutes / stepMinutes;
            double erasesBefore = w.Flash.Erases;
            long bytesBefore = w.Flash.BytesWritten;
            long opsBefore = w.Flash.WriteOps;
            w.Run(instants, channels, deepSleep, stepMinutes);
            double erases = w.Flash.Erases - erasesBefore;
            double cyclesPerBlockPerDay = erases / days / PartitionBlocks;
            report.Add("flash_bytes_per_reading" + suffix, Math.Round((double)(w.Flash.BytesWritten - bytesBefore) / w.Readings, 2));
            report.Add("commits_per_hour" + suffix, Math.Round(w.Commits / (minutes / 60.0), 1));
            report.Add("flash_writes_per_hour" + suffix, Math.Round((w.Flash.WriteOps - opsBefore) / (minutes / 60.0), 1));
            report.Add("erase_cycles_per_block_per_day" + suffix, Math.Round(cyclesPerBlockPerDay, 2));
            report.Add("lifetime_years" + suffix, Math.Round(RecordLog.EnduranceCycles / cyclesPerBlockPerDay / 365.25, 1));
            if (deepSleep)
            {
                // What each wake reads back before it can sample (recovery scans the log's files): energy awake.
                report.Add("recovery_bytes_read_per_wake" + suffix, Math.Round((double)w.RecoveryBytesRead / Math.Max(1, w.Boots - 1)));
            }

            if (suffix.Length == 0)
            {
                var h = new StorageHealth();
                w.Log.FillHealth(h, minutes * 60_000, PartitionBlocks);
                report.Add("stored_bytes_per_reading", Math.Round(StoredBytesPerReading(out long outageRecovery), 2));
                report.Add("recovery_bytes_read_after_3_day_outage", outageRecovery);
                report.Add("log_lifetime_years_estimate", Math.Round(h.LifetimeYears, 1));
                report.Add("readings_at_risk_high_water", h.ReadingsAtRiskHighWater);
            }
        }

        /// <summary>
        /// Bytes of flash per reading held, measured on a log filled for 3 days without acknowledgement (an outage),
        /// and what one wake's recovery then reads.
        /// </summary>
        private static double StoredBytesPerReading(out long recoveryBytesRead)
        {
            var flash = new Gateway.Virtual.Flash.VirtualFlash(3, 4096);
            var log = new RecordLog(flash, Settings(1));
            log.Open();
            var rng = new Random(3);
            int v = 0;
            long n = 0;
            for (long m = 0; m < 3 * 1440; m++)
            {
                for (int c = 0; c < 4; c++)
                {
                    v += rng.Next(-6, 7);
                    var r = new Reading((ChannelId)(1 + c), StorageWorkload.T0 + m * StorageWorkload.Minute, v, ReadingStatus.Ok);
                    log.Append(ref r);
                    n++;
                }
            }

            log.Suspend();
            long before = flash.BytesRead;
            new RecordLog(flash, Settings(1)).Open();
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
