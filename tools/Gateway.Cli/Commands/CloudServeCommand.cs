using System;
using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using Gateway.Cloud;
using Gateway.Cloud.Fleet;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway cloud serve: the read-only fleet page over an existing receiver database, without a broker (a second
    /// host, a copy, a finished simulation). Prints <c>{"event":"ready","url":...}</c> on stdout when it listens; SIGTERM
    /// or SIGINT stop it.
    /// </summary>
    public sealed class CloudServeCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "cloud";

        /// <inheritdoc />
        public Command Create()
        {
            var db = CloudOptions.Db();
            var http = new FleetHttpOptions();
            http.Http.Required = true;
            var asOf = new Option<string?>("--as-of")
            {
                Description = "the instant stale flags are measured from: 'newest' (the newest arrival in the database: a simulation or a copy) or an ISO 8601 UTC time (default: now)",
            };
            var seconds = new Option<int>("--for") { Description = "stop after this many seconds (0: until interrupted)", DefaultValueFactory = _ => 0 };
            var cmd = new Command("serve", "serve the read-only fleet page (gateways, alarms, timelines, commissioning records, CSV/JSON) over an existing receiver database");
            foreach (var o in new Option[] { db, asOf, seconds })
            {
                cmd.Options.Add(o);
            }

            foreach (var o in http.All)
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                try
                {
                    return Run(pr, db, http, asOf, seconds);
                }
                catch (ConfigurationException ex)
                {
                    Console.Error.WriteLine("error: " + ex.Message);
                    return 2;
                }
            });
            return cmd;
        }

        private static int Run(ParseResult pr, Option<string> db, FleetHttpOptions http, Option<string?> asOf, Option<int> seconds)
        {
            var settings = http.Read(pr)!;
            Func<long>? now = () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var at = pr.GetValue(asOf);
            if (at is not null)
            {
                if (at == "newest")
                {
                    now = null;
                }
                else if (DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var fixedAt))
                {
                    var ms = fixedAt.ToUnixTimeMilliseconds();
                    now = () => ms;
                }
                else
                {
                    throw new ConfigurationException($"--as-of {at}: give 'newest' or an ISO 8601 time, e.g. 2026-09-01T00:00:00Z");
                }
            }

            if (pr.GetValue(seconds) < 0)
            {
                throw new ConfigurationException("--for must be 0 (until interrupted) or more seconds");
            }

            using var stop = new ManualResetEventSlim();
            void RequestStop(PosixSignalContext c)
            {
                c.Cancel = true;
                stop.Set();
            }

            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
            using var server = new FleetServer(settings, pr.GetValue(db)!, now);
            server.Start();
            Console.Error.WriteLine($"gateway cloud serve: fleet page at {server.Url} (read-only{(settings.Token is null ? ", this host only" : ", access token required")})");
            Console.Out.WriteLine(JsonSerializer.Serialize(new { @event = "ready", url = server.Url!.ToString(), token = settings.Token is not null, refresh_s = settings.RefreshSeconds }));
            Console.Out.Flush();
            var limit = pr.GetValue(seconds);
            stop.Wait(limit > 0 ? TimeSpan.FromSeconds(limit) : Timeout.InfiniteTimeSpan);
            Console.Out.WriteLine(JsonSerializer.Serialize(new { @event = "stopped", requests = server.Requests }));
            return 0;
        }
    }
}
