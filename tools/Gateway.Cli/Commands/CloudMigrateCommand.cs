using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Cloud.Storage;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway cloud migrate: applies the receiver database's pending schema migrations (as every receiver does at
    /// start) or, with --list, only lists them, applied and pending.
    /// </summary>
    public sealed class CloudMigrateCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "cloud";

        /// <inheritdoc />
        public Command Create()
        {
            var db = CloudOptions.Db();
            var list = new Option<bool>("--list") { Description = "only list the migrations, applied and pending; change nothing" };
            var recount = new Option<bool>("--recount-summary") { Description = "also count the fleet summary (migration 0005) again from the stored readings: after a receiver older than 0005 wrote to the database" };
            var json = CommonOptions.Json();
            var cmd = new Command("migrate", "apply the receiver database's pending schema migrations (receivers also do at start); --list shows applied and pending ones");
            cmd.Options.Add(db);
            cmd.Options.Add(list);
            cmd.Options.Add(recount);
            cmd.Options.Add(json);
            cmd.SetAction(pr => Run(pr.GetValue(db)!, pr.GetValue(list), pr.GetValue(json), Console.Out, Console.Error, pr.GetValue(recount)));
            return cmd;
        }

        /// <summary>Runs the command; returns the exit code (2: a database spec or file that cannot be used).</summary>
        public static int Run(string spec, bool listOnly, bool json, TextWriter output, TextWriter error, bool recountSummary = false)
        {
            ArgumentNullException.ThrowIfNull(spec);
            ArgumentNullException.ThrowIfNull(output);
            ArgumentNullException.ThrowIfNull(error);
            if (listOnly && recountSummary)
            {
                error.WriteLine("gateway cloud migrate: --list changes nothing; --recount-summary writes: give one of them");
                return 2;
            }

            SqlReceiverStore store;
            try
            {
                store = Open(spec, migrate: !listOnly);
            }
            catch (ArgumentException ex)
            {
                error.WriteLine("gateway cloud migrate: " + ex.Message);
                return 2;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
            {
                error.WriteLine("gateway cloud migrate: cannot open the database: " + ex.Message);
                return 2;
            }

            using (store)
            {
                long? summarized = null;
                if (recountSummary)
                {
                    store.RecountSummary();
                    summarized = store.QueryDevices().Count;
                }

                var all = store.Migrations();
                var appliedNow = store.AppliedAtOpen.Select(m => m.Version).ToHashSet();
                if (json)
                {
                    output.WriteLine(JsonSerializer.Serialize(new
                    {
                        engine = store.Engine,
                        durability = store.Durability,
                        summary_recounted_devices = summarized,
                        migrations = all.Select(m => new
                        {
                            version = m.Version,
                            name = m.Name,
                            state = !m.Applied ? "pending" : appliedNow.Contains(m.Version) ? "applied now" : "applied",
                            applied_at = m.AppliedAtMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : null,
                        }),
                    }));
                    return 0;
                }

                output.WriteLine($"{"version",7}  {"name",-34} state");
                foreach (var m in all)
                {
                    var state = !m.Applied ? "pending"
                        : (appliedNow.Contains(m.Version) ? "applied now " : "applied ") +
                          DateTimeOffset.FromUnixTimeMilliseconds(m.AppliedAtMs!.Value).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
                    output.WriteLine($"{m.Version,7}  {m.Name,-34} {state}");
                }

                if (summarized is { } n)
                {
                    output.WriteLine($"fleet summary counted again from the readings: {n} device(s)");
                }

                var pending = all.Count(m => !m.Applied);
                output.WriteLine(pending == 0 ? "schema up to date" : $"{pending} pending (run without --list to apply; every receiver applies them at start)");
                return 0;
            }
        }

        private static SqlReceiverStore Open(string spec, bool migrate)
        {
            if (spec.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase))
            {
                return new PostgresReceiverStore(spec["postgres:".Length..], migrate);
            }

            var path = spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? spec["sqlite:".Length..] : spec;
            if (path.Length == 0 || (path.Contains(':', StringComparison.Ordinal) && !spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"--db {spec}: use sqlite:PATH or postgres:CONNECTION-STRING");
            }

            if (!File.Exists(path))
            {
                // Listing must not create a database; migrating a missing file would silently start an empty one.
                throw new ArgumentException($"--db {spec}: no database file at {path}");
            }

            return new SqliteReceiverStore(path, migrate);
        }
    }
}
