using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;

namespace Gateway.Simulation
{
    /// <summary>
    /// Checks a run's options before anything is started or written: the first problem found, as one line that names
    /// the flag (one problem at a time, in the order of the flags), or null when the run may start.
    /// </summary>
    public sealed partial class SimOptions
    {
        /// <summary>Memory a run needs beyond what its gateways and days add (runtime, receiver, report), MB.</summary>
        public const double MemoryBaseMb = 150;

        /// <summary>Longest <c>--boot-ms</c> or <c>--cycle-ms</c>: a minute (the watchdog and the cadence allow no longer).</summary>
        public const double MaxTimingMs = 60_000;

        /// <summary>Memory a gateway holds however short the run (virtual flash, firmware node, radio or modem emulator), MB.</summary>
        public const double MemoryPerGatewayMb = 1.35;

        /// <summary>Memory a gateway adds per simulated day (truth and committed records, stored rows), MB.</summary>
        public const double MemoryPerGatewayDayMb = 0.1;

        /// <summary>
        /// The memory the run will take, MB: measured on the default scenario (1,000 gateways, 1 day: 1.49 GB peak;
        /// 200 gateways, 0.1 and 3 days: 340 and 389 MB), rounded up.
        /// </summary>
        public static double EstimateMemoryMb(int gateways, double days) =>
            MemoryBaseMb + gateways * (MemoryPerGatewayMb + MemoryPerGatewayDayMb * days);

        /// <summary>
        /// The first problem of the flags alone (no network, nothing written): the values, the scenario (loaded to
        /// check it), the combination of flags, and whether the run fits in <paramref name="availableMb"/> of memory
        /// (null: <see cref="AvailableMemoryMb"/>).
        /// </summary>
        public string? Problem(double? availableMb = null)
        {
            string Bad(string flag, double v, string rule) => $"{flag} {v.ToString(CultureInfo.InvariantCulture)}: {rule}";

            if (Days is { } d && (!double.IsFinite(d) || d <= 0 || d > 3650))
            {
                return Bad("--days", d, "must be a number of days above 0 (at most 3650)");
            }

            if (!double.IsFinite(Loss) || Loss < 0 || Loss > 1)
            {
                return Bad("--loss", Loss, "must be a probability from 0 to 1");
            }

            if (OutageHours is { } o && (!double.IsFinite(o) || o < 0))
            {
                return Bad("--outage", o, "must be hours, 0 or more");
            }

            if (OutageStartHours is { } at && (!double.IsFinite(at) || at < 0))
            {
                return Bad("--outage-at", at, "must be hours into the run, 0 or more");
            }

            if (PowerCuts is < 0)
            {
                return Bad("--power-cuts", PowerCuts.Value, "must be 0 or more");
            }

            if (ModemHangs < 0)
            {
                return Bad("--modem-hangs", ModemHangs, "must be 0 or more");
            }

            if (ModemHangs > 0 && Transport != "cellular")
            {
                return $"--modem-hangs {ModemHangs}: needs --transport cellular (only the SIM7080G modem hangs)";
            }

            if (Gateways < 1)
            {
                return Bad("--gateways", Gateways, "must be at least 1");
            }

            if (DistanceKm is { } km && (!double.IsFinite(km) || km < 1 || km > 20))
            {
                return Bad("--distance-km", km, "must be 1..20 (the Okumura-Hata range)");
            }

            if (DistanceKm is not null && Adr == "off")
            {
                return "--distance-km places a gateway at its ADR data rate: it needs --adr on or auto";
            }

            if (BootMs is { } boot && (!double.IsFinite(boot) || boot < 0 || boot > MaxTimingMs))
            {
                return Bad("--boot-ms", boot, $"must be milliseconds from 0 to {MaxTimingMs} (hil's boot_ms)");
            }

            if (CycleMs is { } cycle && (!double.IsFinite(cycle) || cycle < 0 || cycle > MaxTimingMs))
            {
                return Bad("--cycle-ms", cycle, $"must be milliseconds from 0 to {MaxTimingMs} (hil's cycle_ms)");
            }

            if (Receivers < 1)
            {
                return Bad("--receivers", Receivers, "must be at least 1");
            }

            if (!double.IsFinite(KillReceiverEverySeconds) || KillReceiverEverySeconds < 0)
            {
                return Bad("--kill-receiver-every", KillReceiverEverySeconds, "must be seconds, 0 (never) or more");
            }

            if ((Receivers > 1 || KillReceiverEverySeconds > 0) && (Broker is null || Receiver != "process"))
            {
                return "--receivers and --kill-receiver-every need --broker HOST:PORT with receiver processes";
            }

            if (Database != null && !Database.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase)
                && !Database.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            {
                return $"--db {Database.Split(';')[0]}: must be postgres:CONNECTION-STRING or sqlite:PATH";
            }

            if (Broker != null && BrokerAddress(Broker) is null)
            {
                return $"--broker {Broker}: must be HOST:PORT with a port from 1 to 65535";
            }

            if (CompareTransports == true && Energy.TransportComparison.Refusal(this) is { } refusal)
            {
                return refusal;
            }

            if (File.Exists(OutDir))
            {
                return $"--out {OutDir}: is a file, not a folder";
            }

            SimScenario scenario;
            try
            {
                scenario = SimScenarios.Get(Scenario);
            }
            catch (FileNotFoundException)
            {
                return $"--scenario {Scenario}: no scenario by that name (built in: {string.Join(", ", SimScenarios.Names)}) and no such file";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
            {
                return $"--scenario {Scenario}: not a valid scenario file: {FirstLine(ex.Message)}";
            }

            var days = Days ?? scenario.Days;
            if (OutageStartHours is { } start && start >= days * 24)
            {
                return Bad("--outage-at", start, $"is after the end of the run ({(days * 24).ToString("0.#", CultureInfo.InvariantCulture)} hours)");
            }

            var need = EstimateMemoryMb(Gateways, days);
            var have = availableMb ?? AvailableMemoryMb();
            if (have is { } mb && need > mb)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"--gateways {Gateways} --days {days:0.###}: the run needs about {need / 1024:0.0} GB of memory and {mb / 1024:0.0} GB are available (about {MemoryPerGatewayMb + MemoryPerGatewayDayMb * days:0.##} MB a gateway); run fewer gateways or fewer days");
            }

            return null;
        }

        /// <summary>
        /// The broker's problem, if any: its name does not resolve or nothing accepts a connection there within
        /// <paramref name="timeout"/>. Null: a TCP connection to it opened.
        /// </summary>
        public static string? BrokerProblem(string broker, TimeSpan timeout)
        {
            if (BrokerAddress(broker) is not { } address)
            {
                return $"--broker {broker}: must be HOST:PORT with a port from 1 to 65535";
            }

            try
            {
                using var client = new TcpClient();
                if (!client.ConnectAsync(address.Host, address.Port).Wait(timeout))
                {
                    return $"--broker {broker}: no answer within {timeout.TotalSeconds:0} s";
                }

                return null;
            }
            catch (AggregateException ex) when (ex.InnerException is SocketException se)
            {
                return se.SocketErrorCode switch
                {
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"--broker {broker}: no such host ({address.Host})",
                    SocketError.ConnectionRefused => $"--broker {broker}: connection refused (is the broker running on port {address.Port}?)",
                    _ => $"--broker {broker}: cannot connect ({FirstLine(se.Message)})",
                };
            }
        }

        /// <summary>HOST:PORT split, or null when it is not that.</summary>
        public static (string Host, int Port)? BrokerAddress(string broker)
        {
            var colon = broker.LastIndexOf(':');
            return colon > 0 && int.TryParse(broker[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
                ? (broker[..colon], port)
                : null;
        }

        /// <summary>
        /// Memory this process may still take, MB: MemAvailable from /proc/meminfo, or less when a cgroup limit
        /// (memory.max) leaves less; null where neither can be read.
        /// </summary>
        public static double? AvailableMemoryMb()
        {
            double? mb = null;
            try
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    {
                        mb = double.Parse(line["MemAvailable:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
                    }
                }

                if (File.Exists("/sys/fs/cgroup/memory.max") && File.Exists("/sys/fs/cgroup/memory.current"))
                {
                    var max = File.ReadAllText("/sys/fs/cgroup/memory.max").Trim();
                    if (max != "max")
                    {
                        var left = (double.Parse(max, CultureInfo.InvariantCulture) - double.Parse(File.ReadAllText("/sys/fs/cgroup/memory.current").Trim(), CultureInfo.InvariantCulture)) / 1048576;
                        mb = mb is { } m ? Math.Min(m, left) : left;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                return mb;
            }

            return mb;
        }

        private static string FirstLine(string s)
        {
            var i = s.IndexOfAny(new[] { '\r', '\n' });
            return i < 0 ? s : s[..i];
        }
    }
}
