using System;
using Gateway.Bindings.Bus;

namespace Gateway.Virtual.Sensors;

/// <summary>A virtual BMP280: air pressure with ±12 Pa noise; Disconnected means no answer.</summary>
public sealed class VirtualBarometer : IBarometer
{
    private readonly Func<double> _pascals;
    private readonly SensorNoise _noise;

    /// <summary>Creates the barometer.</summary>
    public VirtualBarometer(Func<double> pascals, int seed)
    {
        _pascals = pascals;
        _noise = new SensorNoise(seed);
    }

    /// <summary>The fault in force.</summary>
    public SensorFault Fault { get; set; }

    /// <inheritdoc />
    public bool TryReadPascals(out int pascals)
    {
        pascals = 0;
        if (Fault == SensorFault.Disconnected)
        {
            return false;
        }

        pascals = (int)Math.Round(_pascals() + _noise.Gaussian(12));
        return true;
    }
}
