using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Simulation.Hil
{
    /// <summary>One cycle of a hardware-in-the-loop scenario: the values injected before it (absent = unchanged).</summary>
    public sealed class HilStep
    {
        /// <summary>Water level to inject, mm (console channel "level").</summary>
        [JsonPropertyName("level")]
        public int? Level { get; set; }

        /// <summary>Battery voltage to inject, mV.</summary>
        [JsonPropertyName("battery")]
        public int? Battery { get; set; }

        /// <summary>Air temperature to inject, millidegrees Celsius.</summary>
        [JsonPropertyName("temperature")]
        public int? Temperature { get; set; }

        /// <summary>The level value is sensor garbage: it must be stored flagged (not dropped, not passed as valid, no alarm from it).</summary>
        [JsonPropertyName("garbage")]
        public bool Garbage { get; set; }
    }

    /// <summary>
    /// A hardware-in-the-loop scenario (format in tools/Gateway.Simulation/Hil/README.md): injected values per cycle
    /// and the river levels the gateway's configuration uses, from which the expected alarms are derived.
    /// </summary>
    public sealed class HilScenario
    {
        /// <summary>Name.</summary>
        [JsonPropertyName("name")]
        public string Name { get; set; } = "scenario";

        /// <summary>Standby, caution, evacuation-decision and danger levels, mm (as configured on the gateway).</summary>
        [JsonPropertyName("levels_mm")]
        public int[] LevelsMm { get; set; } = { 1800, 2400, 3000, 3500 };

        /// <summary>Alarm hysteresis, mm (as configured).</summary>
        [JsonPropertyName("hysteresis_mm")]
        public int HysteresisMm { get; set; } = 50;

        /// <summary>The cycles.</summary>
        [JsonPropertyName("steps")]
        public List<HilStep> Steps { get; set; } = new();

        /// <summary>The built-in scenarios.</summary>
        public static readonly string[] Names = { "flood" };

        /// <summary>A built-in scenario by name, or a scenario file by path.</summary>
        public static HilScenario Get(string nameOrPath)
        {
            if (nameOrPath == "flood")
            {
                return Flood();
            }

            if (File.Exists(nameOrPath))
            {
                return JsonSerializer.Deserialize<HilScenario>(File.ReadAllText(nameOrPath)) ?? throw new InvalidDataException(nameOrPath + ": empty scenario");
            }

            throw new ArgumentException($"unknown scenario '{nameOrPath}' (built in: {string.Join(", ", Names)}; or a JSON file)");
        }

        /// <summary>
        /// The flood: the river rises through standby, caution, evacuation-decision and danger, a garbage frame at the
        /// crest, then falls; on the way down it sits inside each level's hysteresis band once (the alarm must hold)
        /// before dropping below it (the alarm must clear). Battery sags and the air warms as it goes.
        /// </summary>
        public static HilScenario Flood()
        {
            int[] levels =
            {
                800, 1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400, 2600, 2800, 3000, 3200, 3400, 3500, 3600,
                -1, 3600, 3480, 3440, 3200, 2980, 2940, 2700, 2400, 2300, 2000, 1760, 1700, 1400, 1100, 900, 800,
            };
            var s = new HilScenario { Name = "flood" };
            for (var i = 0; i < levels.Length; i++)
            {
                var step = new HilStep { Battery = 3950 - (i * 7), Temperature = 11500 + (i * 150) };
                if (levels[i] < 0)
                {
                    step.Level = 99999;
                    step.Garbage = true;
                }
                else
                {
                    step.Level = levels[i];
                }

                s.Steps.Add(step);
            }

            return s;
        }

        /// <summary>
        /// The alarms the gateway must raise and clear, cycle by cycle, derived from the injected levels by the
        /// documented rule (raise every level reached, lowest first; clear from the top only below level − hysteresis;
        /// garbage changes nothing): (cycle index, kind 1 = raised / 2 = cleared, level 1..4).
        /// </summary>
        public List<(int Cycle, int Kind, int Level)> ExpectedAlarms()
        {
            var expected = new List<(int, int, int)>();
            var current = 0;
            for (var c = 0; c < Steps.Count; c++)
            {
                var step = Steps[c];
                if (step.Garbage || step.Level is not int level)
                {
                    continue;
                }

                while (current < 4 && level >= LevelsMm[current])
                {
                    current++;
                    expected.Add((c, 1, current));
                }

                while (current > 0 && level < LevelsMm[current - 1] - HysteresisMm)
                {
                    expected.Add((c, 2, current));
                    current--;
                }
            }

            return expected;
        }
    }
}
