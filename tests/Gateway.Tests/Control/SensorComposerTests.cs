using System;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Ultrasonic;
using Gateway.Control.Composition;
using Gateway.Control.Config;
using Gateway.Core.Sensing;
using Gateway.Core.Time;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;
using Xunit;

namespace Gateway.Tests.Control
{
    /// <summary>The sensor composition the ESP32 and the virtual gateway share (Gateway.Control/Composition).</summary>
    public sealed class SensorComposerTests
    {
        private static VirtualSensorRig Rig()
        {
            var scenario = new Scenario
            {
                Name = "composer",
                Seed = 3,
                DurationHours = 24,
                River = new RiverSpec { BaseLevelMm = 800 },
                Ranger = new RangerSpec { MountHeightMm = 4000, NoiseMm = 2, FalseEchoProbability = 0, GarbageFrameProbability = 0 },
            };
            var clock = new VirtualClock(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), ClockQuality.Network);
            return new VirtualSensorRig(new ScenarioPlayer(scenario), clock);
        }

        private static GatewayConfig Config(string ultrasonicInterface, bool pressure = false, bool inclinometer = false)
        {
            var config = new GatewayConfig();
            var errors = new ConfigErrors();
            var json = "{\"schema\":1,\"site\":{\"id\":\"c-01\",\"kind\":\"river\"},\"channels\":{\"ultrasonic\":{\"fitted\":true,\"interface\":\"" + ultrasonicInterface
                + "\",\"mount_height_mm\":4000},\"pressure\":{\"fitted\":" + (pressure ? "true" : "false") + "},\"inclinometer\":{\"fitted\":" + (inclinometer ? "true" : "false")
                + "},\"battery\":{\"fitted\":true}},\"river\":{\"observation_start_mm\":1200,\"standby_mm\":1800,\"caution_mm\":2400,\"evacuation_mm\":3000,\"danger_mm\":3500}}";
            Assert.True(ConfigParser.TryParse(json, config, errors), errors.ToString());
            return config;
        }

        [Theory]
        [InlineData("uart", typeof(UartUltrasonicRanger))]
        [InlineData("echo", typeof(EchoUltrasonicRanger))]
        public void The_configured_ultrasonic_interface_is_composed_and_measures_the_river(string iface, Type expected)
        {
            var composed = new SensorComposer(Config(iface), new VirtualSensorParts(Rig()));

            Assert.Equal("", composed.Faults);
            Assert.IsType(expected, composed.LevelSource);
            Assert.Equal(new[] { ChannelId.WaterLevelMillimeters, ChannelId.TemperatureMillicelsius, ChannelId.BatteryMillivolts }, Array.ConvertAll(composed.Sources, s => s.Channel));
            Assert.Equal(composed.Sources.Length, composed.Chains.Length);
            var r = new Reading { Channel = composed.LevelSource!.Channel };
            Assert.True(composed.LevelSource.TrySample(ref r));
            Assert.True(r.IsValid, $"status 0x{(int)r.Status:X4}");
            Assert.InRange(r.Value, 700, 900);
        }

        [Fact]
        public void A_sensor_that_fails_to_open_is_named_and_the_others_still_sample()
        {
            var parts = new FailingAccelerometerParts(new VirtualSensorParts(Rig()));
            var composed = new SensorComposer(Config("uart", pressure: true, inclinometer: true), parts);

            Assert.StartsWith("inclinometer: ", composed.Faults, StringComparison.Ordinal);
            Assert.Contains("SPI bus 1 did not answer", composed.Faults, StringComparison.Ordinal);
            Assert.Null(composed.Inclinometer);
            Assert.Equal(new[] { ChannelId.WaterLevelMillimeters, ChannelId.TemperatureMillicelsius, ChannelId.WaterLevelMillimeters, ChannelId.BatteryMillivolts },
                Array.ConvertAll(composed.Sources, s => s.Channel));
            Assert.IsType<UartUltrasonicRanger>(composed.LevelSource);
        }

        private sealed class FailingAccelerometerParts : ISensorParts
        {
            private readonly ISensorParts _inner;

            public FailingAccelerometerParts(ISensorParts inner) => _inner = inner;

            public ITemperatureProbe OpenAirTemperature() => _inner.OpenAirTemperature();

            public IByteStream OpenUltrasonicUart() => _inner.OpenUltrasonicUart();

            public IEchoTimer OpenUltrasonicEcho() => _inner.OpenUltrasonicEcho();

            public IRawAdc OpenPressureAdc(Ads1115Range range) => _inner.OpenPressureAdc(range);

            public IAccelerometerRaw OpenAccelerometer() => throw new InvalidOperationException("SPI bus 1 did not answer");

            public IAnalogInput OpenBatteryInput(SupplyVoltageSettings settings) => _inner.OpenBatteryInput(settings);
        }
    }
}
