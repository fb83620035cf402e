using System;
using Gateway.Core.Node;

namespace Gateway.Simulation.Energy
{
    /// <summary>
    /// What powers a gateway: how much charge it holds, what voltage the battery channel reads, and when the
    /// gateway browns out. Charge is drawn by <see cref="EnergyMeter"/>; <see cref="Advance"/> applies self-discharge
    /// and, for the solar kit, the panel's charge.
    /// </summary>
    public abstract class PowerSupply
    {
        /// <summary>Nominal capacity, mAh.</summary>
        public double CapacityMah { get; protected init; }

        /// <summary>Charge held, mAh.</summary>
        public double ChargeMah { get; protected set; }

        /// <summary>Lowest state of charge seen (0–1).</summary>
        public double MinSoc { get; private set; } = 1;

        /// <summary>Wakes at which the supply could not carry the gateway (a brown-out reset on the board).</summary>
        public int Brownouts { get; private set; }

        /// <summary>Charge the panel delivered, mAh.</summary>
        public double ChargedMah { get; protected set; }

        /// <summary>Short description for the report.</summary>
        public abstract string Describe();

        /// <summary>State of charge (0–1) of the nominal capacity.</summary>
        public double Soc => Math.Clamp(ChargeMah / CapacityMah, 0, 1);

        /// <summary>The voltage the battery divider sees at <paramref name="celsius"/>, mV.</summary>
        public abstract double Millivolts(double celsius);

        /// <summary>The charge that can still be drawn at <paramref name="celsius"/> (cold takes part of it away), mAh.</summary>
        public virtual double UsableMah(double celsius) => ChargeMah;

        /// <summary>True for a Li-SOCl2 primary cell (the governor reads its voltage with that chemistry's curve).</summary>
        public virtual bool Primary => false;

        /// <summary>Draws <paramref name="mAh"/>.</summary>
        public void Draw(double mAh)
        {
            ChargeMah = Math.Max(0, ChargeMah - mAh);
            MinSoc = Math.Min(MinSoc, Soc);
        }

        /// <summary>Counts a wake at <paramref name="celsius"/>: a brown-out when nothing usable is left.</summary>
        public void CheckWake(double celsius)
        {
            if (UsableMah(celsius) <= 0)
            {
                Brownouts++;
            }
        }

        /// <summary>Applies what happens to the cell between two instants (self-discharge, sun).</summary>
        public abstract void Advance(long fromWallMs, long toWallMs, Func<long, double> celsiusAt);
    }

    /// <summary>A Li-SOCl2 D cell (ER34615 class, 19 Ah), self-discharge 1 % of the nominal capacity a year.</summary>
    public sealed class PrimaryCell : PowerSupply
    {
        /// <summary>Self-discharge per year, fraction of the nominal capacity (ENERGY.md B1).</summary>
        public double SelfDischargePerYear { get; init; } = 0.01;

        /// <summary>A full cell of <paramref name="capacityMah"/>.</summary>
        public PrimaryCell(double capacityMah = 19_000)
        {
            CapacityMah = capacityMah;
            ChargeMah = capacityMah;
        }

        /// <inheritdoc />
        public override bool Primary => true;

        /// <inheritdoc />
        public override string Describe() => $"Li-SOCl2 primary cell {CapacityMah / 1000:0.#} Ah";

        /// <inheritdoc />
        public override double Millivolts(double celsius) => Soc > 0.2 ? 3600 : 3100 + 1750 * Soc;

        /// <inheritdoc />
        public override void Advance(long fromWallMs, long toWallMs, Func<long, double> celsiusAt)
        {
            var years = (toWallMs - fromWallMs) / (365.25 * 86_400_000);
            Draw(CapacityMah * SelfDischargePerYear * years);
        }
    }

    /// <summary>
    /// The boards README's solar kit: 18650 Li-ion cells, a CN3791 MPPT charger, a small panel tilted ≥ 60°. Cold
    /// takes capacity away (derating), Li-ion is not charged below 0 °C (the charger's NTC input), the enclosure warms
    /// in the sun, and snow can cover the panel.
    /// </summary>
    public sealed class SolarKit : PowerSupply
    {
        private readonly Insolation _sun;

        /// <summary>The kit: <paramref name="cells"/> × 3000 mAh, <paramref name="panelWatts"/>, starting at <paramref name="startSoc"/>.</summary>
        public SolarKit(Insolation sun, int cells = 1, double panelWatts = 2, double startSoc = 1)
        {
            _sun = sun;
            CapacityMah = 3000 * cells;
            ChargeMah = CapacityMah * startSoc;
            PanelWatts = panelWatts;
        }

        /// <summary>Panel rating, W at 1000 W/m².</summary>
        public double PanelWatts { get; }

        /// <summary>Charger (MPPT) and wiring efficiency (named parameter, ENERGY.md P8).</summary>
        public double ChargerEfficiency { get; init; } = 0.75;

        /// <summary>Self-discharge per month, fraction (ENERGY.md B3).</summary>
        public double SelfDischargePerMonth { get; init; } = 0.02;

        /// <summary>How much warmer than the air the cell is at 1000 W/m² on the panel's plane, K (named parameter, P9).</summary>
        public double EnclosureGainKelvin { get; init; } = 15;

        /// <summary>
        /// Irradiance on the panel tilted ≥ 60° facing south over the horizontal figure (low winter sun, snow albedo),
        /// named parameter P10 (a transposition model would replace it).
        /// </summary>
        public double TiltGain { get; init; } = 1.8;

        /// <summary>When the panel is under snow (null: never).</summary>
        public Func<long, bool>? PanelCovered { get; init; }

        /// <summary>Days with no sun at all (overcast, snowing), by wall time (null: the month's mean weather).</summary>
        public Func<long, bool>? Sunless { get; init; }

        /// <inheritdoc />
        public override string Describe() => $"solar kit: {CapacityMah / 3000:0}× 18650 Li-ion 3000 mAh, {PanelWatts:0.#} W panel, {ChargerEfficiency:P0} charger, {_sun.Site}";

        /// <summary>Fraction of the capacity that can be drawn at a temperature (ENERGY.md B4).</summary>
        public static double Derating(double celsius) =>
            celsius >= 20 ? 1.0 : celsius >= 0 ? 0.8 + 0.2 * celsius / 20 : celsius >= -20 ? 0.6 + 0.2 * (celsius + 20) / 20 : Math.Max(0.4, 0.5 + 0.1 * (celsius + 30) / 10);

        /// <inheritdoc />
        public override double UsableMah(double celsius) => Math.Max(0, ChargeMah - (1 - Derating(celsius)) * CapacityMah);

        /// <inheritdoc />
        /// <remarks>
        /// The divider is read at a wake's light load (tens of mA), where a cold cell's voltage is still close to its
        /// open-circuit voltage; the cold takes capacity away at the end (<see cref="UsableMah"/>), not the reading.
        /// </remarks>
        public override double Millivolts(double celsius) => OpenCircuitMillivolts(Soc);

        /// <summary>Li-ion open-circuit voltage of a state of charge (the inverse of the governor's table).</summary>
        public static double OpenCircuitMillivolts(double soc)
        {
            double lo = 3000, hi = 4200;
            for (var i = 0; i < 30; i++)
            {
                var mid = (lo + hi) / 2;
                if (AutonomyGovernor.LiIonSocPercent((int)mid) < soc * 100)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            return hi;
        }

        /// <inheritdoc />
        public override void Advance(long fromWallMs, long toWallMs, Func<long, double> celsiusAt)
        {
            const long step = 600_000;
            for (var t = fromWallMs; t < toWallMs; t += step)
            {
                var dt = Math.Min(step, toWallMs - t);
                var hours = dt / 3_600_000.0;
                Draw(CapacityMah * SelfDischargePerMonth * hours / (30.4 * 24));
                var g = Sunless?.Invoke(t) == true || PanelCovered?.Invoke(t) == true ? 0 : TiltGain * _sun.WattsPerSquareMetre(DateTimeOffset.FromUnixTimeMilliseconds(t + dt / 2));
                if (g <= 0)
                {
                    continue;
                }

                var cell = celsiusAt(t) + EnclosureGainKelvin * g / 1000;
                if (cell < 0)
                {
                    continue; // Li-ion is never charged below 0 °C
                }

                var watts = PanelWatts * g / 1000 * ChargerEfficiency;
                var mAh = watts / (Millivolts(cell) / 1000) * 1000 * hours;
                var room = CapacityMah - ChargeMah;
                mAh = Math.Min(mAh, room);
                ChargeMah += mAh;
                ChargedMah += mAh;
            }
        }
    }
}
