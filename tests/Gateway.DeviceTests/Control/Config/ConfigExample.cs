namespace Gateway.DeviceTests.Control.Config
{
    /// <summary>
    /// The example configuration of firmware/Gateway.Control/CONFIG.md, verbatim (Japanese site name, coordinates and
    /// layout intact). A host test, tests/Gateway.Tests/DeviceTests/DeviceTestVectorsTests.cs, checks that this string
    /// still equals the document's example, so the two cannot drift.
    /// </summary>
    internal static class ConfigExample
    {
        /// <summary>The CONFIG.md example document.</summary>
        public const string ExampleJson = @"
{
  ""schema"": 1,
  ""site"": { ""id"": ""kamo-river-03"", ""name"": ""加茂川 三条大橋"", ""kind"": ""river"", ""lat"": 35.0094, ""lon"": 135.7714 },
  ""channels"": {
    ""level_offset_mm"": 0,
    ""ultrasonic"": { ""fitted"": true, ""interface"": ""uart"", ""mount_height_mm"": 6200, ""min_mm"": 300, ""max_mm"": 7000, ""median_count"": 5 },
    ""pressure"": { ""fitted"": false },
    ""inclinometer"": { ""fitted"": false },
    ""battery"": { ""fitted"": true, ""low_mv"": 3400 }
  },
  ""river"": { ""observation_start_mm"": 1200, ""standby_mm"": 1800, ""caution_mm"": 2400, ""evacuation_mm"": 3000, ""danger_mm"": 3500, ""hysteresis_mm"": 50 },
  ""cadence"": { ""base_s"": 600, ""above_observation_s"": 300, ""rise_trigger_mm_per_10min"": 150, ""trial_periods"": 3 },
  ""transport"": {
    ""primary"": ""lora"",
    ""failover"": [""cellular""],
    ""lora"": { ""region"": ""AS923-1"", ""fair_use_s_per_day"": 30 },
    ""cellular"": { ""apn"": ""iot.example.jp"" },
    ""mqtt"": { ""host"": ""gw.kinki-ix.example.jp"", ""port"": 8883, ""tls"": true }
  },
  ""uplink"": { ""max_at_risk"": 144, ""alive_time"": ""06:00"" },
  ""keys"": { ""key_id"": 1 }
}
";
    }
}
