using System;
using Gateway.Bindings.Bus;

namespace Gateway.Virtual.Sensors;

/// <summary>A virtual HC-SR04: round-trip echo time from the true distance and the true air temperature.</summary>
public sealed class VirtualEchoTimer : IEchoTimer
{
    private readonly Func<double> _trueDistanceMm;
    private readonly Func<double> _airCelsius;
    private readonly SensorNoise _noise;

    /// <summary>Creates the part.</summary>
    public VirtualEchoTimer(Func<double> trueDistanceMm, Func<double> airCelsius, double sigmaMicroseconds, int seed)
    {
        _trueDistanceMm = trueDistanceMm;
        _airCelsius = airCelsius;
        SigmaMicroseconds = sigmaMicroseconds;
        _noise = new SensorNoise(seed);
    }

    /// <summary>Timing noise, microseconds.</summary>
    public double SigmaMicroseconds { get; set; }

    /// <summary>The fault in force (Disconnected: no echo).</summary>
    public SensorFault Fault { get; set; }

    /// <inheritdoc />
    public bool TryMeasureEchoMicroseconds(out int microseconds)
    {
        microseconds = 0;
        if (Fault == SensorFault.Disconnected)
        {
            return false;
        }

        double c = 331300.0 * Math.Sqrt(1.0 + _airCelsius() / 273.15);
        microseconds = (int)Math.Round(2.0 * _trueDistanceMm() / c * 1e6 + _noise.Gaussian(SigmaMicroseconds));
        return true;
    }
}
