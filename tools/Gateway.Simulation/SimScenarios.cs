using System;
using System.Collections.Generic;
using System.IO;
using Gateway.Core.Sensing.Events;
using Gateway.Virtual.Scenarios;

namespace Gateway.Simulation
{
    /// <summary>A deployment scenario: the physics the virtual sensors follow and the site's sensing rules.</summary>
    /// <param name="Name">Short name.</param>
    /// <param name="Title">Title for the report.</param>
    /// <param name="Physics">The virtual world (sensing's scenario format).</param>
    /// <param name="Sensing">The site's levels, cadences and alarms.</param>
    /// <param name="Days">Default length in days.</param>
    /// <param name="OutageHours">Default link outage, hours (0 = none), placed mid-run.</param>
    /// <param name="PowerCuts">Default number of power cuts.</param>
    /// <param name="ValueLabel">What the main picture shows.</param>
    /// <param name="Supply">Builds each gateway's power supply (null: a 19 Ah Li-SOCl2 primary cell).</param>
    /// <param name="CompareTransports">Runs the deployment again on the other radio and prints both energy budgets (the quiet month, the budget's reference).</param>
    public sealed record SimScenario(string Name, string Title, Scenario Physics, SensingSettings Sensing, double Days, double OutageHours, int PowerCuts, string ValueLabel,
        Func<long, Gateway.Simulation.Energy.PowerSupply>? Supply = null, bool CompareTransports = false);

    /// <summary>The scenarios shipped with the simulator, and loading one from a file.</summary>
    public static class SimScenarios
    {
        /// <summary>Names of the built-in scenarios, the default first.</summary>
        public static readonly string[] Names = { "typhoon", "snow", "slope", "quiet", "winter" };

        /// <summary>A built-in scenario by name, or a scenario file (sensing's JSON format; river rules apply).</summary>
        public static SimScenario Get(string nameOrFile)
        {
            switch (nameOrFile.ToLowerInvariant())
            {
                case "typhoon":
                case "flood":
                    return Typhoon();
                case "snow":
                    return Snow();
                case "slope":
                    return Slope();
                case "quiet":
                    return Quiet();
                case "winter":
                    return Winter();
            }

            if (!File.Exists(nameOrFile))
            {
                throw new FileNotFoundException($"no scenario named '{nameOrFile}' (built in: {string.Join(", ", Names)}) and no such file");
            }

            var physics = Scenario.Load(nameOrFile);
            return new SimScenario(physics.Name, physics.Name, physics, RiverRules(), Math.Max(1, physics.DurationHours / 24), 0, 0,
                physics.Snow != null ? "snow depth (mm)" : "water level (mm)");
        }

        /// <summary>
        /// The MLIT crisis-management gauge rules for a small, fast river: observe every 10 minutes above the
        /// observation-start level, every 2 minutes from the caution level, daily alive message below it.
        /// </summary>
        public static SensingSettings RiverRules() => new()
        {
            ObservationStartLevelMm = 1000,
            StandbyLevelMm = 1200,
            CautionLevelMm = 1700,
            EvacuationDecisionLevelMm = 2200,
            DangerLevelMm = 2700,
            AlarmHysteresisMm = 30,
            QuietIntervalMs = 600_000,
            ObservingIntervalMs = 600_000,
            RapidIntervalMs = 120_000,
            RateOfRiseMmPer10Min = 60,
        };

        private static SimScenario Typhoon()
        {
            var s = new Scenario
            {
                Name = "typhoon",
                Seed = 7,
                StartUtc = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero),
                DurationHours = 14 * 24,
                Air = new AirSpec { MeanCelsius = 24, DailySwingCelsius = 4 },
                River = new RiverSpec
                {
                    BaseLevelMm = 600,
                    RiseMmPerMmPerHour = 45,
                    ReservoirHours = 2.5,
                    Reservoirs = 2,
                    Rain = new List<RateSpell>
                    {
                        new() { StartHour = 3 * 24 + 6, Hours = 10, MmPerHour = 8 },
                        new() { StartHour = 5 * 24, Hours = 14, MmPerHour = 45 },
                        new() { StartHour = 5 * 24 + 14, Hours = 6, MmPerHour = 20 },
                        new() { StartHour = 10 * 24, Hours = 6, MmPerHour = 10 },
                    },
                },
                Ranger = new RangerSpec { MountHeightMm = 4000, NoiseMm = 2, FalseEchoProbability = 0.01, GarbageFrameProbability = 0.005 },
            };
            return new SimScenario("typhoon", "Typhoon flood on a small, fast river", s, RiverRules(), 14, 48, 20, "water level (mm)");
        }

        private static SimScenario Quiet()
        {
            var s = new Scenario
            {
                Name = "quiet",
                Seed = 11,
                StartUtc = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
                DurationHours = 30 * 24,
                Air = new AirSpec { MeanCelsius = 10, DailySwingCelsius = 5 },
                River = new RiverSpec { BaseLevelMm = 550, Rain = new List<RateSpell> { new() { StartHour = 12 * 24, Hours = 4, MmPerHour = 3 } } },
                Ranger = new RangerSpec { MountHeightMm = 4000 },
            };
            return new SimScenario("quiet", "A quiet month below the observation-start level, daily alive messages only", s, RiverRules(), 30, 0, 2, "water level (mm)", CompareTransports: true);
        }

        private static SimScenario Snow()
        {
            var s = new Scenario
            {
                Name = "snow",
                Seed = 13,
                StartUtc = new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero),
                DurationHours = 21 * 24,
                Air = new AirSpec { MeanCelsius = -3, DailySwingCelsius = 4 },
                Snow = new SnowSpec
                {
                    InitialDepthMm = 200,
                    Snowfall = new List<RateSpell>
                    {
                        new() { StartHour = 2 * 24, Hours = 20, MmPerHour = 15 },
                        new() { StartHour = 9 * 24, Hours = 10, MmPerHour = 40 },
                        new() { StartHour = 15 * 24, Hours = 8, MmPerHour = 10 },
                    },
                    MeltMmPerDegreeHour = 0.4,
                },
                Ranger = new RangerSpec { MountHeightMm = 3000 },
            };
            var rules = new SensingSettings { SnowfallAlertMmPerHour = 30, QuietIntervalMs = 600_000, ObservingIntervalMs = 600_000 };
            return new SimScenario("snow", "Snowfall season on a mountain road", s, rules, 21, 12, 5, "snow depth (mm)");
        }

        /// <summary>
        /// A dark Asahikawa winter on the boards README's solar kit (two 18650 cells, a 3 W panel, the CN3791 charger):
        /// a month of snow on a road, its first 20 days without sun and the panel under snow, cold enough to take a
        /// third of the cells' capacity, the cells at 52 % after a grey late autumn. The governor must stretch the quiet
        /// routine and recover it, every snowfall alarm must reach the cloud, and the gateway must never brown out.
        /// </summary>
        private static SimScenario Winter()
        {
            var s = new Scenario
            {
                Name = "winter",
                Seed = 19,
                StartUtc = new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.FromHours(9)), // midnight in Japan: the air is warmest at 14:00 local

                DurationHours = 30 * 24,
                Air = new AirSpec { MeanCelsius = -10, DailySwingCelsius = 7 },
                Snow = new SnowSpec
                {
                    InitialDepthMm = 400,
                    Snowfall = new List<RateSpell>
                    {
                        new() { StartHour = 2 * 24, Hours = 20, MmPerHour = 15 },
                        new() { StartHour = 8 * 24, Hours = 10, MmPerHour = 40 },
                        new() { StartHour = 16 * 24, Hours = 8, MmPerHour = 35 },
                        new() { StartHour = 26 * 24, Hours = 6, MmPerHour = 45 },
                    },
                    MeltMmPerDegreeHour = 0.4,
                },
                Ranger = new RangerSpec { MountHeightMm = 3000 },
            };
            var rules = new SensingSettings { SnowfallAlertMmPerHour = 30, QuietIntervalMs = 600_000, ObservingIntervalMs = 600_000 };
            var start = s.StartUtc.ToUnixTimeMilliseconds();
            bool Dark(long wallMs) => wallMs < start + 20 * 86_400_000L;
            return new SimScenario("winter", "A dark Asahikawa winter on the solar kit (30 days, 20 without sun)", s, rules, 30, 0, 0, "snow depth (mm)",
                _ => new Gateway.Simulation.Energy.SolarKit(new Gateway.Simulation.Energy.Insolation(), cells: 2, panelWatts: 3, startSoc: 0.52) { PanelCovered = Dark, Sunless = Dark });
        }

        private static SimScenario Slope()
        {
            var s = new Scenario
            {
                Name = "slope",
                Seed = 17,
                StartUtc = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero),
                DurationHours = 20 * 24,
                Slope = new SlopeSpec { InitialPitchDegrees = 0.2, InitialRollDegrees = -0.1, CreepDegreesPerDay = 0.05, FailureStartHour = 14 * 24, FailureHour = 19.5 * 24 },
                Ranger = new RangerSpec { MountHeightMm = 4000 },
            };
            var rules = new SensingSettings { TiltChangeAlarmMillidegrees = 2000, TiltRateAlarmMillidegreesPerHour = 500, TiltRateAlarmMillidegreesPerDay = 1500 };
            return new SimScenario("slope", "An unstable slope creeping into failure", s, rules, 20, 0, 5, "tilt, pitch (millidegrees)");
        }
    }
}
