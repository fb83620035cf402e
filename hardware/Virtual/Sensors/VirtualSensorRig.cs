using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Time;

namespace Gateway.Virtual.Sensors;

/// <summary>
/// Every virtual part of a gateway bound to one scenario and one virtual clock: the ranger's UART, its thermometer,
/// an HC-SR04 echo timer, the pressure loop into an ADS1115, the barometer, the accelerometer and the battery
/// input. <see cref="Sync"/> applies the scenario's faults for the current time (call it before each cycle).
/// </summary>
public sealed class VirtualSensorRig
{
    /// <summary>Builds the parts; each gets its own seed derived from the scenario's.</summary>
    public VirtualSensorRig(ScenarioPlayer player, VirtualClock clock, UltrasonicNoiseModel? rangerModel = null)
    {
        Player = player;
        Clock = clock;
        int seed = player.Scenario.Seed;
        RangerModel = rangerModel ?? new UltrasonicNoiseModel
        {
            SigmaMm = player.Scenario.Ranger.NoiseMm,
            FalseEchoProbability = player.Scenario.Ranger.FalseEchoProbability,
            GarbageFrameProbability = player.Scenario.Ranger.GarbageFrameProbability,
        };
        Ranger = new VirtualUartRanger(() => player.RangerDistanceMm(clock.UptimeMs), () => player.AirCelsius(clock.UptimeMs), RangerModel, seed * 31 + 1);
        EchoTimer = new VirtualEchoTimer(() => player.RangerDistanceMm(clock.UptimeMs), () => player.AirCelsius(clock.UptimeMs), 6, seed * 31 + 2);
        Thermometer = new VirtualThermometer(() => player.AirCelsius(clock.UptimeMs), seed * 31 + 3);
        Barometer = new VirtualBarometer(() => player.AirPascals(clock.UptimeMs), seed * 31 + 4);
        // The transducer sits 200 mm above the gauge datum (a stilling well's foot).
        Loop = new VirtualLoopTransducer(
            () => System.Math.Max(0, player.LevelMm(clock.UptimeMs) - TransducerElevationMm) * 1000 * 9.80665 / 1000.0,
            () => player.AirPascals(clock.UptimeMs),
            () => clock.UptimeMs / 86400000.0,
            seed * 31 + 5);
        Adc = new VirtualAds1115(() => Loop.ShuntMicrovolts(), 4.096, 30, seed * 31 + 6);
        Accelerometer = new VirtualAccelerometer(() => player.PitchDegrees(clock.UptimeMs), () => player.RollDegrees(clock.UptimeMs), 256, 1.5, seed * 31 + 7);
        BatteryMillivolts = 3900;
        Battery = new VirtualAnalogInput(() => BatteryMillivolts / 2.0, 3300, seed * 31 + 8);
    }

    /// <summary>Elevation of the pressure transducer above the gauge datum, mm.</summary>
    public double TransducerElevationMm { get; set; } = 200;

    /// <summary>The battery voltage, mV (the divider halves it).</summary>
    public double BatteryMillivolts { get; set; }

    /// <summary>The scenario being played.</summary>
    public ScenarioPlayer Player { get; }

    /// <summary>The clock the parts read their truth at.</summary>
    public VirtualClock Clock { get; }

    /// <summary>The ranger's noise model.</summary>
    public UltrasonicNoiseModel RangerModel { get; }

    /// <summary>A02YYUW on a UART.</summary>
    public VirtualUartRanger Ranger { get; }

    /// <summary>HC-SR04 echo timer.</summary>
    public VirtualEchoTimer EchoTimer { get; }

    /// <summary>DS18B20 air probe.</summary>
    public VirtualThermometer Thermometer { get; }

    /// <summary>BMP280.</summary>
    public VirtualBarometer Barometer { get; }

    /// <summary>4–20 mA transducer.</summary>
    public VirtualLoopTransducer Loop { get; }

    /// <summary>ADS1115 input across the loop's 150 Ω shunt at ±4.096 V.</summary>
    public VirtualAds1115 Adc { get; }

    /// <summary>ADXL345 at full resolution (256 counts/g).</summary>
    public VirtualAccelerometer Accelerometer { get; }

    /// <summary>ESP32 ADC on a 1:1 divider from the battery.</summary>
    public VirtualAnalogInput Battery { get; }

    /// <summary>Applies the scenario's faults in force now.</summary>
    public void Sync()
    {
        long t = Clock.UptimeMs;
        Ranger.Fault = Player.FaultAt("ranger", t);
        EchoTimer.Fault = Player.FaultAt("ranger", t);
        Thermometer.Fault = Player.FaultAt("temperature", t);
        Barometer.Fault = Player.FaultAt("barometer", t);
        Loop.Fault = Player.FaultAt("loop", t);
        Adc.Fault = Player.FaultAt("adc", t);
        Accelerometer.Fault = Player.FaultAt("accelerometer", t);
    }
}
