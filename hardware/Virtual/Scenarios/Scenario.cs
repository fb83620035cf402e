using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Virtual.Scenarios;

/// <summary>
/// A scenario file: the physics and faults the virtual sensors follow (format in README.md beside this file).
/// The same file drives the simulator and, through the console's test mode, a real gateway on the bench.
/// </summary>
public sealed class Scenario
{
    /// <summary>A name for reports.</summary>
    public string Name { get; set; } = "scenario";

    /// <summary>Seed of every noise source: same seed, same run.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Wall time at scenario hour 0 (UTC).</summary>
    public DateTimeOffset StartUtc { get; set; } = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Length, hours (a replay uses its series' length when this is 0).</summary>
    public double DurationHours { get; set; } = 48;

    /// <summary>Air temperature and pressure.</summary>
    public AirSpec Air { get; set; } = new();

    /// <summary>A rain-driven river (hydrograph), or null.</summary>
    public RiverSpec? River { get; set; }

    /// <summary>A replayed real series of distances, or null.</summary>
    public ReplaySpec? Replay { get; set; }

    /// <summary>Snowfall and melt, or null.</summary>
    public SnowSpec? Snow { get; set; }

    /// <summary>Slope creep and failure, or null.</summary>
    public SlopeSpec? Slope { get; set; }

    /// <summary>The ultrasonic ranger's mounting and noise.</summary>
    public RangerSpec Ranger { get; set; } = new();

    /// <summary>Faults switched on and off by time.</summary>
    public List<FaultSpec> Faults { get; set; } = new();

    /// <summary>The JSON options of the format (camelCase, enums as strings, comments allowed).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Parses a scenario from JSON text.</summary>
    public static Scenario Parse(string json) =>
        JsonSerializer.Deserialize<Scenario>(json, JsonOptions) ?? throw new InvalidDataException("empty scenario");

    /// <summary>Loads a scenario file; a relative replay path is resolved against the file's folder.</summary>
    public static Scenario Load(string path)
    {
        Scenario s = Parse(File.ReadAllText(path));
        if (s.Replay is { } r && !Path.IsPathRooted(r.Path))
        {
            r.Path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", r.Path));
        }

        return s;
    }

    /// <summary>Writes the scenario as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonOptions) { WriteIndented = true });
}

/// <summary>Air temperature (daily sine) and pressure.</summary>
public sealed class AirSpec
{
    /// <summary>Daily mean, °C.</summary>
    public double MeanCelsius { get; set; } = 15;

    /// <summary>Half the daily swing, °C (warmest at 14:00 scenario time of day).</summary>
    public double DailySwingCelsius { get; set; } = 5;

    /// <summary>Air pressure, Pa.</summary>
    public double PressurePascals { get; set; } = 101325;
}

/// <summary>A period of constant rain or snowfall.</summary>
public sealed class RateSpell
{
    /// <summary>Start, scenario hours.</summary>
    public double StartHour { get; set; }

    /// <summary>Length, hours.</summary>
    public double Hours { get; set; }

    /// <summary>Intensity, mm per hour (rain; or snow depth gain).</summary>
    public double MmPerHour { get; set; }
}

/// <summary>A river answering rain through a cascade of linear reservoirs (Nash): rise, peak, recession.</summary>
public sealed class RiverSpec
{
    /// <summary>Level at base flow, mm above the gauge datum.</summary>
    public double BaseLevelMm { get; set; } = 500;

    /// <summary>Level rise per mm/h of routed runoff, mm.</summary>
    public double RiseMmPerMmPerHour { get; set; } = 40;

    /// <summary>Time constant of each reservoir, hours.</summary>
    public double ReservoirHours { get; set; } = 2;

    /// <summary>Number of reservoirs in the cascade (2–4: the larger, the later and smoother the peak).</summary>
    public int Reservoirs { get; set; } = 2;

    /// <summary>The rain spells.</summary>
    public List<RateSpell> Rain { get; set; } = new();
}

/// <summary>A replayed series of distances (a real gauge's record).</summary>
public sealed class ReplaySpec
{
    /// <summary>The file (relative paths resolve against the scenario file, or the working directory when parsed).</summary>
    public string Path { get; set; } = "";

    /// <summary>The format: "trout-creek" (Log*.txt of MNiMORPH/Trout-Creek-stream-gauge: Range [cm], TempOB [C]).</summary>
    public string Format { get; set; } = "trout-creek";

    /// <summary>Rows to use at most (0: all).</summary>
    public int MaxRows { get; set; }
}

/// <summary>Snowfall spells and degree-hour melt.</summary>
public sealed class SnowSpec
{
    /// <summary>Depth at hour 0, mm.</summary>
    public double InitialDepthMm { get; set; }

    /// <summary>Snowfall spells (depth gain per hour).</summary>
    public List<RateSpell> Snowfall { get; set; } = new();

    /// <summary>Melt per degree-hour above 0 °C, mm.</summary>
    public double MeltMmPerDegreeHour { get; set; } = 0.4;
}

/// <summary>Slow creep, then an accelerating failure (inverse velocity falling linearly to zero, Fukuzono 1985).</summary>
public sealed class SlopeSpec
{
    /// <summary>Pitch at hour 0, degrees.</summary>
    public double InitialPitchDegrees { get; set; }

    /// <summary>Roll at hour 0, degrees.</summary>
    public double InitialRollDegrees { get; set; }

    /// <summary>Creep rate of pitch, degrees per day.</summary>
    public double CreepDegreesPerDay { get; set; } = 0.01;

    /// <summary>Start of acceleration, hours (0: none).</summary>
    public double FailureStartHour { get; set; }

    /// <summary>Predicted failure time, hours (velocity unbounded there; capped at 10°/h).</summary>
    public double FailureHour { get; set; }
}

/// <summary>Mounting and noise of the ultrasonic ranger.</summary>
public sealed class RangerSpec
{
    /// <summary>Sensor face above the gauge datum (river), or distance to bare ground (snow), mm.</summary>
    public double MountHeightMm { get; set; } = 4000;

    /// <summary>Ping noise, mm RMS.</summary>
    public double NoiseMm { get; set; } = 2;

    /// <summary>False echo probability per ping.</summary>
    public double FalseEchoProbability { get; set; } = 0.02;

    /// <summary>Garbled frame probability per frame.</summary>
    public double GarbageFrameProbability { get; set; } = 0.005;
}

/// <summary>A fault switched on at <see cref="StartHour"/> and off at <see cref="EndHour"/>.</summary>
public sealed class FaultSpec
{
    /// <summary>Which part: ranger, temperature, loop, adc, accelerometer, barometer.</summary>
    public string Sensor { get; set; } = "ranger";

    /// <summary>The fault.</summary>
    public Gateway.Virtual.Sensors.SensorFault Kind { get; set; }

    /// <summary>On, scenario hours.</summary>
    public double StartHour { get; set; }

    /// <summary>Off, scenario hours.</summary>
    public double EndHour { get; set; } = double.MaxValue;
}
