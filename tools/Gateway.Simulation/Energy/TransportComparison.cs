using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Gateway.Simulation.Energy
{
    /// <summary>
    /// The same deployment run again on the other radio (LoRaWAN and LTE-M), so that a site's two energy budgets are
    /// printed side by side: the same scenario, seed, days, loss, outages and power cuts, the other transport's real
    /// driver over its emulator. The quiet scenario (the energy budget's reference month) does it by default.
    /// </summary>
    public static class TransportComparison
    {
        /// <summary>The transports compared, by their <c>--transport</c> name, with the name each figure uses.</summary>
        private static readonly (string Transport, string Name)[] Compared = { ("lora", "lorawan"), ("cellular", "lte_m") };

        /// <summary>Why a run cannot be compared, or null when it can (a broker run is not rerun: it has a real receiver and database).</summary>
        public static string? Refusal(SimOptions options)
        {
            if (options.Broker != null)
            {
                return "--compare-transports runs without --broker only (a broker run's receiver and database are the operator's)";
            }

            return Compared.Any(c => c.Transport == options.Transport) ? null : $"--compare-transports compares lora and cellular, not {options.Transport}";
        }

        /// <summary>
        /// Runs the other transport's twin of <paramref name="options"/> in a scratch folder and adds, beside the main
        /// run's figures, <c>energy_mah_per_day_by_transport</c> and (primary cell) <c>battery_life_years_by_transport</c>,
        /// plus the twin's own correctness figures. Returns the twin's summary (for its checks).
        /// </summary>
        /// <param name="options">The main run's options (not changed).</param>
        /// <param name="main">The main run's summary.</param>
        /// <param name="add">Where the figures go.</param>
        public static Dictionary<string, object?> Add(SimOptions options, IReadOnlyList<KeyValuePair<string, object?>> main, Action<string, object?> add)
        {
            var refusal = Refusal(options);
            if (refusal != null)
            {
                throw new ArgumentException(refusal);
            }

            var other = Compared.First(c => c.Transport != options.Transport);
            var twinOptions = options.Clone();
            twinOptions.Transport = other.Transport;
            twinOptions.ModemHangs = other.Transport == "cellular" ? twinOptions.ModemHangs : 0;
            twinOptions.CompareTransports = false;
            twinOptions.OutDir = Path.Combine(Path.GetTempPath(), "gateway-sim-compare-" + Guid.NewGuid().ToString("N")[..10]);
            Dictionary<string, object?> twin;
            try
            {
                using (var sim = new Simulation(twinOptions))
                {
                    sim.Run();
                    twin = SimSummary.Compute(sim, 0).ToDictionary(kv => kv.Key, kv => kv.Value);
                }
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                if (Directory.Exists(twinOptions.OutDir))
                {
                    Directory.Delete(twinOptions.OutDir, true);
                }
            }

            var mine = main.ToDictionary(kv => kv.Key, kv => kv.Value);
            var name = Compared.First(c => c.Transport == options.Transport).Name;
            var energy = new Dictionary<string, double>();
            var life = new Dictionary<string, double>();
            foreach (var (n, figures) in new[] { (name, mine), (other.Name, twin) })
            {
                energy[n] = Convert.ToDouble(figures["energy_mah_per_day"]);
                if (figures.TryGetValue("battery_life_years", out var years))
                {
                    life[n] = Convert.ToDouble(years);
                }
            }

            add("energy_mah_per_day_by_transport", Ordered(energy));
            if (life.Count == 2)
            {
                add("battery_life_years_by_transport", Ordered(life));
            }

            add("compared_transport", other.Transport);
            foreach (var k in new[] { "completeness", "readings_lost_unaccounted", "duplicates_stored", "forged_or_altered_accepted", "brownouts" })
            {
                add("compared_" + k, twin[k]);
            }

            return twin;
        }

        private static Dictionary<string, double> Ordered(Dictionary<string, double> byName)
        {
            var ordered = new Dictionary<string, double>();
            foreach (var (_, n) in Compared)
            {
                if (byName.TryGetValue(n, out var v))
                {
                    ordered[n] = v;
                }
            }

            return ordered;
        }
    }
}
