using System;

namespace Gateway.Virtual.Sensors;

/// <summary>
/// A virtual 4–20 mA submersible pressure transducer: loop current = 4 mA + 16 mA · p / full scale, with a slow
/// zero drift and current noise; faults: open loop (0 mA), short / high alarm (22 mA), stuck. Gives the shunt
/// voltage in µV for a <see cref="VirtualAds1115"/>.
/// </summary>
public sealed class VirtualLoopTransducer
{
    private readonly Func<double> _gaugePascals;
    private readonly Func<double> _airPascals;
    private readonly Func<double> _days;
    private readonly SensorNoise _noise;
    private double _stuckMicroamps = double.NaN;

    /// <summary>Creates the transducer over the true gauge pressure, the air pressure and the elapsed days.</summary>
    public VirtualLoopTransducer(Func<double> gaugePascals, Func<double> airPascals, Func<double> days, int seed)
    {
        _gaugePascals = gaugePascals;
        _airPascals = airPascals;
        _days = days;
        _noise = new SensorNoise(seed);
    }

    /// <summary>Full scale, pascals.</summary>
    public double FullScalePascals { get; set; } = 49033;

    /// <summary>True for a sealed absolute transducer (it measures gauge + air pressure, offset by 1 atm at 4 mA).</summary>
    public bool Absolute { get; set; }

    /// <summary>Shunt resistance, ohms.</summary>
    public double ShuntOhms { get; set; } = 150;

    /// <summary>Current noise, µA RMS.</summary>
    public double NoiseMicroamps { get; set; } = 2;

    /// <summary>Zero drift, µA per day.</summary>
    public double DriftMicroampsPerDay { get; set; }

    /// <summary>The fault in force.</summary>
    public SensorFault Fault { get; set; }

    /// <summary>The loop current now, µA.</summary>
    public double Microamps()
    {
        switch (Fault)
        {
            case SensorFault.Disconnected:
                return 0;
            case SensorFault.Short:
                return 22000;
        }

        double p = _gaugePascals() + (Absolute ? _airPascals() - 101325 : 0);
        double ua = 4000 + 16000 * p / FullScalePascals + DriftMicroampsPerDay * _days() + _noise.Gaussian(NoiseMicroamps);
        ua = Math.Clamp(ua, 3900, 20800); // a healthy transmitter saturates inside the NE 43 signal band
        if (Fault == SensorFault.Stuck)
        {
            if (double.IsNaN(_stuckMicroamps))
            {
                _stuckMicroamps = Math.Round(ua);
            }

            return _stuckMicroamps;
        }

        _stuckMicroamps = double.NaN;
        return ua;
    }

    /// <summary>The shunt voltage now, µV.</summary>
    public double ShuntMicrovolts() => Microamps() * ShuntOhms;
}
