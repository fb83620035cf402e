using System;
using System.CommandLine;
using System.IO;
using Gateway.Cloud.Bench;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway bench cloud: the receiver's verify and store throughput on this machine.</summary>
    public sealed class BenchCloudCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "bench";

        /// <inheritdoc />
        public Command Create()
        {
            var json = CommonOptions.Json();
            var devices = new Option<int>("--devices") { Description = "gateways to simulate", DefaultValueFactory = _ => 50 };
            var batches = new Option<int>("--batches") { Description = "batches of 240 readings per gateway", DefaultValueFactory = _ => 40 };
            var group = new Option<int>("--group") { Description = "batches per commit of the grouped run (group commit)", DefaultValueFactory = _ => 32 };
            var db = new Option<string?>("--db") { Description = "store to measure: sqlite:PATH (default: a fresh temporary SQLite file) or postgres:CONNECTION" };
            var cmd = new Command("cloud", "receiver throughput: readings verified per second (memory), and verified and stored per second through the receiver's durable transaction, one batch per commit and grouped");
            cmd.Options.Add(json);
            cmd.Options.Add(devices);
            cmd.Options.Add(batches);
            cmd.Options.Add(db);
            cmd.Options.Add(group);
            cmd.SetAction(pr =>
            {
                var dir = Path.Combine(Path.GetTempPath(), "gateway-bench-cloud-" + Environment.ProcessId);
                Directory.CreateDirectory(dir);
                try
                {
                    var spec = pr.GetValue(db);
                    var r = CloudBenchmark.Run(pr.GetValue(devices), pr.GetValue(batches), dir,
                        spec is null ? null : () => Gateway.Cloud.Storage.ReceiverStoreFactory.Open(spec), groupBatches: pr.GetValue(group));
                    var report = new FigureReport()
                        .Add("devices", r.Devices)
                        .Add("batches", r.Batches)
                        .Add("readings", r.Readings)
                        .Add("verified_readings_per_s", Math.Round(r.VerifiedReadingsPerSecond))
                        .Add("stored_readings_per_s", Math.Round(r.StoredReadingsPerSecond))
                        .Add("stored_readings_per_s_one_batch_per_commit", Math.Round(r.StoredReadingsPerSecondOneBatchPerCommit))
                        .Add("commit_group_batches", r.GroupBatches)
                        .Add("readings_checked", r.SampledReadings)
                        .Add("durability", r.Durability)
                        .Add("batch_bytes_per_reading", Math.Round(r.BytesPerReading, 3))
                        .Add("store", spec ?? "sqlite (temporary file)");
                    if (r.Fleet is { } f)
                    {
                        report.Add("fleet_db_readings", f.StoredReadings)
                            .Add("fleet_view_ms", Math.Round(f.ViewMs, 2))
                            .Add("fleet_devices_and_battery_ms", Math.Round(f.SummaryMs, 2))
                            .Add("fleet_devices_and_battery_by_scan_ms", Math.Round(f.ScanMs, 2));
                    }

                    report.Write(Console.Out, pr.GetValue(json));
                    return 0;
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(dir, recursive: true);
                }
            });
            return cmd;
        }
    }
}
