using System;
using System.Collections.Generic;
using System.Linq;

namespace Gateway.Simulation.Energy
{
    /// <summary>The energy figures of a run (the gateways' charge accounts), for the summary.</summary>
    public static class EnergyFigures
    {
        /// <summary>Adds the figures through <paramref name="add"/>.</summary>
        public static void Add(Simulation sim, Action<string, object?> add)
        {
            var meters = sim.Gateways.Where(g => g.Energy != null).Select(g => g.Energy!).ToList();
            if (meters.Count == 0)
            {
                return;
            }

            double Days(EnergyMeter m) => Math.Max(1e-9, (m.LastWallMs - m.StartWallMs) / 86_400_000.0);
            var perDay = meters.Average(m => m.TotalMah() / Days(m));
            var byComponent = new Dictionary<string, double>();
            foreach (var c in EnergyMeter.Components)
            {
                byComponent[c] = Math.Round(meters.Average(m => m.MahByComponent()[c] / Days(m)), 3);
            }

            var supply = meters[0].Supply;
            add("energy_mah_per_day", Math.Round(perDay, 3));
            add("energy_mah_per_day_by_component", byComponent);
            add("wakes_per_day", Math.Round(meters.Average(m => m.Wakes / Days(m)), 1));
            add("boots_per_day", Math.Round(meters.Average(m => m.Boots / Days(m)), 1));
            add("esp_boot_ms", sim.EnergyProfile.EspBootMs);
            add("esp_cycle_ms", sim.EnergyProfile.EspCycleMs);
            add("supply", supply.Describe());
            if (supply is PrimaryCell cell)
            {
                // Years until the cell is empty at this rate, its self-discharge included.
                var perYear = perDay * 365.25 + cell.CapacityMah * cell.SelfDischargePerYear;
                add("battery_life_years", Math.Round(cell.CapacityMah / perYear, 2));
            }
            else
            {
                add("solar_charge_mah", Math.Round(meters.Average(m => m.Supply.ChargedMah), 1));
            }

            add("battery_min_soc", Math.Round(meters.Min(m => m.Supply.MinSoc), 4));
            add("brownouts", meters.Sum(m => m.Supply.Brownouts));
            var governed = sim.Gateways.Where(g => g.GovernorSteps.Count > 0).ToList();
            add("governor_max_step", governed.Count == 0 ? 0 : governed.Max(g => g.GovernorSteps.Max(s => s.Step)));
            add("governor_final_step", governed.Count == 0 ? 0 : governed.Max(g => g.GovernorSteps[^1].Step));
            add("governor_changes", governed.Sum(g => Math.Max(0, g.GovernorSteps.Count - 1)));
        }
    }
}
