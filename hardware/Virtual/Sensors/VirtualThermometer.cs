using System;
using Gateway.Bindings.Bus;

namespace Gateway.Virtual.Sensors;

/// <summary>A virtual DS18B20: 1/16 °C resolution, ±0.1 °C noise; Disconnected means the probe is missing.</summary>
public sealed class VirtualThermometer : ITemperatureProbe
{
    private readonly Func<double> _celsius;
    private readonly SensorNoise _noise;

    /// <summary>Creates the probe.</summary>
    public VirtualThermometer(Func<double> celsius, int seed)
    {
        _celsius = celsius;
        _noise = new SensorNoise(seed);
    }

    /// <summary>The fault in force.</summary>
    public SensorFault Fault { get; set; }

    /// <inheritdoc />
    public bool TryReadMillicelsius(out int millicelsius)
    {
        millicelsius = 0;
        if (Fault == SensorFault.Disconnected)
        {
            return false;
        }

        double t = _celsius() + _noise.Gaussian(0.05);
        millicelsius = (int)(Math.Round(t * 16) * 62.5);
        return true;
    }
}
