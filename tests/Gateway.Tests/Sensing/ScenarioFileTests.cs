using System;
using System.IO;
using System.Linq;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Sensors;
using Xunit;

namespace Gateway.Tests.Sensing;

public class ScenarioFileTests
{
    private static string ExamplesDir()
    {
        string dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "hardware", "Virtual", "Scenarios", "examples")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("examples not found");
        }

        return Path.Combine(dir, "hardware", "Virtual", "Scenarios", "examples");
    }

    [Fact]
    public void Every_example_scenario_file_loads_and_plays()
    {
        foreach (string file in Directory.GetFiles(ExamplesDir(), "*.json"))
        {
            Scenario s = Scenario.Load(file);
            var player = new ScenarioPlayer(s);
            Assert.True(player.DurationMs > 0, file);
            Assert.False(double.IsNaN(player.LevelMm(player.DurationMs / 2)), file);
        }
    }

    [Fact]
    public void The_typhoon_example_reaches_every_named_level_and_a_missing_probe_is_flagged()
    {
        Scenario s = Scenario.Load(Path.Combine(ExamplesDir(), "typhoon-small-river.json"));
        var site = new RiverSite(s, new SensingSettings
        {
            ObservationStartLevelMm = 1200, StandbyLevelMm = 1500, CautionLevelMm = 1800, EvacuationDecisionLevelMm = 2000, DangerLevelMm = 2100,
            RateOfRiseMmPer10Min = 40,
        });
        site.Runner.RunUntil(site.Player.DurationMs);
        var raised = site.Events.Events.Where(e => e.Kind == EventKind.AlarmRaised).Select(e => e.Level).ToArray();
        Assert.Equal(new[] { AlarmLevel.Standby, AlarmLevel.Caution, AlarmLevel.EvacuationDecision, AlarmLevel.Danger }, raised);
        Assert.Contains(site.Readings.Readings, r => (r.Status & ReadingStatus.Uncompensated) != 0);
        Assert.Equal(CadenceMode.Quiet, site.Detector.Mode); // receded by the end
    }

    [Fact]
    public void The_same_seed_replays_the_same_readings_and_another_seed_does_not()
    {
        int[] Run(int seed)
        {
            Scenario s = Scenario.Parse(File.ReadAllText(Path.Combine(ExamplesDir(), "typhoon-small-river.json")));
            s.Seed = seed;
            s.DurationHours = 12;
            var site = new RiverSite(s, new SensingSettings { QuietIntervalMs = 60000 });
            site.Runner.RunUntil(site.Player.DurationMs);
            return site.Readings.Readings.Select(r => r.Value).ToArray();
        }

        Assert.Equal(Run(42), Run(42));
        Assert.NotEqual(Run(42), Run(43));
    }

    [Fact]
    public void A_scenario_round_trips_through_json()
    {
        var s = new Scenario { Seed = 3, River = new RiverSpec { Rain = { new RateSpell { StartHour = 1, Hours = 2, MmPerHour = 9 } } } };
        s.Faults.Add(new FaultSpec { Sensor = "loop", Kind = SensorFault.Short, StartHour = 1, EndHour = 2 });
        Scenario back = Scenario.Parse(s.ToJson());
        Assert.Equal(9, back.River!.Rain[0].MmPerHour);
        Assert.Equal(SensorFault.Short, back.Faults[0].Kind);
        Assert.Contains("\"short\"", s.ToJson());
    }
}
