using System;
using System.Collections.Generic;

namespace Gateway.Virtual.Scenarios;

/// <summary>
/// Plays a <see cref="Scenario"/>: the true physical state at any time (river level, snow depth, tilt, air), from
/// physics integrated once at construction on a 10 s grid, and the faults in force. Deterministic.
/// </summary>
public sealed class ScenarioPlayer
{
    private const double StepHours = 10.0 / 3600.0;
    private readonly double[] _level;
    private readonly double[] _snow;
    private readonly double[] _pitch;

    /// <summary>Integrates the scenario's physics.</summary>
    public ScenarioPlayer(Scenario scenario)
    {
        Scenario = scenario;
        if (scenario.Replay is { } r)
        {
            Replay = ReplaySeries.LoadTroutCreek(r.Path, r.MaxRows);
            if (scenario.DurationHours <= 0 || scenario.DurationHours > Replay.Hours[^1])
            {
                scenario.DurationHours = Replay.Hours[^1] + 0.1;
            }
        }

        int n = (int)Math.Ceiling(scenario.DurationHours / StepHours) + 2;
        _level = new double[n];
        _snow = new double[n];
        _pitch = new double[n];
        IntegrateRiver(n);
        IntegrateSnow(n);
        IntegrateSlope(n);
    }

    /// <summary>The scenario played.</summary>
    public Scenario Scenario { get; }

    /// <summary>The replayed series, when the scenario has one.</summary>
    public ReplaySeries? Replay { get; }

    /// <summary>Scenario length, milliseconds.</summary>
    public long DurationMs => (long)(Scenario.DurationHours * 3600000);

    /// <summary>Air temperature, °C.</summary>
    public double AirCelsius(long ms)
    {
        if (Replay is { } r)
        {
            return r.AirCelsius[r.IndexAt(ms / 3600000.0)];
        }

        double hourOfDay = (ms / 3600000.0) % 24;
        return Scenario.Air.MeanCelsius + Scenario.Air.DailySwingCelsius * Math.Cos((hourOfDay - 14) / 24 * 2 * Math.PI);
    }

    /// <summary>Air pressure, Pa.</summary>
    public double AirPascals(long ms) => Scenario.Air.PressurePascals;

    /// <summary>River level above the gauge datum, mm.</summary>
    public double LevelMm(long ms)
    {
        if (Replay is { } r)
        {
            return Scenario.Ranger.MountHeightMm - r.DistanceMm[r.IndexAt(ms / 3600000.0)];
        }

        return Sample(_level, ms);
    }

    /// <summary>Snow depth, mm.</summary>
    public double SnowDepthMm(long ms) => Sample(_snow, ms);

    /// <summary>Pitch, degrees.</summary>
    public double PitchDegrees(long ms) => Sample(_pitch, ms);

    /// <summary>Roll, degrees (constant in this model).</summary>
    public double RollDegrees(long ms) => Scenario.Slope?.InitialRollDegrees ?? 0;

    /// <summary>Distance from the ranger's face to the surface it looks at (water, or snow when a snow model is set), mm.</summary>
    public double RangerDistanceMm(long ms) =>
        Scenario.Snow != null ? Scenario.Ranger.MountHeightMm - SnowDepthMm(ms) : Scenario.Ranger.MountHeightMm - LevelMm(ms);

    /// <summary>The fault in force for a part at a time (the last listed wins).</summary>
    public Gateway.Virtual.Sensors.SensorFault FaultAt(string sensor, long ms)
    {
        double h = ms / 3600000.0;
        var fault = Gateway.Virtual.Sensors.SensorFault.None;
        foreach (FaultSpec f in Scenario.Faults)
        {
            if (string.Equals(f.Sensor, sensor, StringComparison.OrdinalIgnoreCase) && h >= f.StartHour && h < f.EndHour)
            {
                fault = f.Kind;
            }
        }

        return fault;
    }

    /// <summary>The first time (ms) at which the true level reaches <paramref name="levelMm"/> at or after <paramref name="fromMs"/>, or −1.</summary>
    public long FirstCrossingMs(double levelMm, long fromMs = 0)
    {
        for (long ms = fromMs; ms <= DurationMs; ms += 1000)
        {
            if (LevelMm(ms) >= levelMm)
            {
                return ms;
            }
        }

        return -1;
    }

    private static double Sample(double[] series, long ms)
    {
        double x = ms / 3600000.0 / StepHours;
        int i = (int)Math.Floor(x);
        if (i < 0)
        {
            return series[0];
        }

        if (i >= series.Length - 1)
        {
            return series[^1];
        }

        double f = x - i;
        return series[i] * (1 - f) + series[i + 1] * f;
    }

    private static double SpellRate(List<RateSpell> spells, double hours)
    {
        double rate = 0;
        foreach (RateSpell s in spells)
        {
            if (hours >= s.StartHour && hours < s.StartHour + s.Hours)
            {
                rate += s.MmPerHour;
            }
        }

        return rate;
    }

    private void IntegrateRiver(int n)
    {
        RiverSpec? river = Scenario.River;
        if (river == null)
        {
            return;
        }

        var store = new double[Math.Max(1, river.Reservoirs)];
        double k = Math.Max(0.05, river.ReservoirHours);
        for (int i = 0; i < n; i++)
        {
            double h = i * StepHours;
            double inflow = SpellRate(river.Rain, h);
            for (int j = 0; j < store.Length; j++)
            {
                double outflow = store[j] / k;
                store[j] += (inflow - outflow) * StepHours;
                inflow = outflow;
            }

            _level[i] = river.BaseLevelMm + river.RiseMmPerMmPerHour * inflow;
        }
    }

    private void IntegrateSnow(int n)
    {
        SnowSpec? snow = Scenario.Snow;
        if (snow == null)
        {
            return;
        }

        double depth = snow.InitialDepthMm;
        for (int i = 0; i < n; i++)
        {
            double h = i * StepHours;
            double air = AirCelsius((long)(h * 3600000));
            depth += SpellRate(snow.Snowfall, h) * StepHours;
            if (air > 0)
            {
                depth -= snow.MeltMmPerDegreeHour * air * StepHours;
            }

            depth = Math.Max(0, depth);
            _snow[i] = depth;
        }
    }

    private void IntegrateSlope(int n)
    {
        SlopeSpec? slope = Scenario.Slope;
        if (slope == null)
        {
            return;
        }

        double pitch = slope.InitialPitchDegrees;
        double creepPerHour = slope.CreepDegreesPerDay / 24;
        for (int i = 0; i < n; i++)
        {
            double h = i * StepHours;
            double v = creepPerHour;
            if (slope.FailureStartHour > 0 && h >= slope.FailureStartHour && slope.FailureHour > slope.FailureStartHour)
            {
                // Inverse velocity falls linearly from 1/creep at the start to 0 at the failure time.
                double remaining = (slope.FailureHour - h) / (slope.FailureHour - slope.FailureStartHour);
                v = remaining > 0 ? Math.Min(10, creepPerHour / remaining) : 10;
            }

            pitch += v * StepHours;
            _pitch[i] = pitch;
        }
    }
}
