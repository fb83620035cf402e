using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Gateway.Cloud;
using Gateway.Cloud.Storage;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway cloud query: a device's readings in a time range, as a table, CSV or JSON.</summary>
    public sealed class CloudQueryCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "cloud";

        /// <inheritdoc />
        public Command Create()
        {
            var db = CloudOptions.Db();
            var device = new Option<uint>("--device") { Description = "device id", Required = true };
            var from = new Option<string?>("--from") { Description = "start, ISO 8601 UTC (default: the beginning)" };
            var to = new Option<string?>("--to") { Description = "end (exclusive), ISO 8601 UTC (default: now)" };
            var csv = new Option<bool>("--csv") { Description = "print CSV" };
            var json = CommonOptions.Json();
            var commissioning = new Option<bool>("--commissioning") { Description = "the device's verified commissioning records instead of readings" };
            var cmd = new Command("query", "readings of one device in a time range, from the receiver's database");
            foreach (var o in new Option[] { db, device, from, to, csv, json, commissioning })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                try
                {
                    return Run(pr, db, device, from, to, csv, json, commissioning);
                }
                catch (ConfigurationException ex)
                {
                    Console.Error.WriteLine("error: " + ex.Message);
                    return 2;
                }
            });
            return cmd;
        }

        private static int Run(ParseResult pr, Option<string> db, Option<uint> device, Option<string?> from, Option<string?> to, Option<bool> csv, Option<bool> json, Option<bool> commissioning)
        {
            // A query reads the receiver's database: a file that is not there is an error, never a new empty database.
            var spec = ReceiverStoreFactory.Parse(pr.GetValue(db)!);
            if (spec.Engine == StoreEngine.Sqlite)
            {
                ReceiverStoreFactory.CheckSqlitePath(spec.Target, mustExist: true);
            }

            if (pr.GetValue(commissioning))
            {
                return CommissioningQuery.Print(pr.GetValue(db)!, pr.GetValue(device), pr.GetValue(json), Console.Out);
            }

            var f = Time("--from", pr.GetValue(from), DateTimeOffset.FromUnixTimeMilliseconds(0));
            var t = Time("--to", pr.GetValue(to), DateTimeOffset.UtcNow.AddYears(100));
            if (t <= f)
            {
                throw new ConfigurationException($"--to {Iso(t.ToUnixTimeMilliseconds())} is not after --from {Iso(f.ToUnixTimeMilliseconds())} (the range is from, inclusive, to --to, exclusive)");
            }

            using var store = ReceiverStoreFactory.Open(pr.GetValue(db)!);
            var rows = store.QueryReadings(pr.GetValue(device), f.ToUnixTimeMilliseconds(), t.ToUnixTimeMilliseconds());
            if (pr.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    device = pr.GetValue(device),
                    count = rows.Count,
                    readings = rows.Select(r => new { seq = r.Sequence, channel = r.Channel, time = Iso(r.TimeMs), value = r.Value, status = r.Status }),
                }));
            }
            else
            {
                Console.WriteLine(pr.GetValue(csv) ? "sequence,channel,time_utc,value,status" : $"{"seq",10} {"ch",3} {"time (UTC)",-24} {"value",10} status");
                foreach (var r in rows)
                {
                    Console.WriteLine(pr.GetValue(csv)
                        ? string.Create(CultureInfo.InvariantCulture, $"{r.Sequence},{r.Channel},{Iso(r.TimeMs)},{r.Value},{r.Status}")
                        : string.Create(CultureInfo.InvariantCulture, $"{r.Sequence,10} {r.Channel,3} {Iso(r.TimeMs),-24} {r.Value,10} {r.Status}"));
                }
            }

            return 0;
        }

        private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        private static DateTimeOffset Time(string option, string? text, DateTimeOffset fallback)
        {
            if (text is null)
            {
                return fallback;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                throw new ConfigurationException($"{option} {text}: not an ISO 8601 time, e.g. 2026-09-01T00:00:00Z");
            }

            return value;
        }
    }
}
