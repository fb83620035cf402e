using System;
using Gateway.Bindings.Bus;

namespace Gateway.Virtual.Sensors;

/// <summary>A virtual ESP32 ADC input: pin voltage → 12-bit count with noise (a battery through a divider).</summary>
public sealed class VirtualAnalogInput : IAnalogInput
{
    private readonly Func<double> _pinMillivolts;
    private readonly SensorNoise _noise;

    /// <summary>Creates the input with the full-scale pin voltage in millivolts.</summary>
    public VirtualAnalogInput(Func<double> pinMillivolts, double fullScaleMillivolts, int seed)
    {
        _pinMillivolts = pinMillivolts;
        FullScaleMillivolts = fullScaleMillivolts;
        _noise = new SensorNoise(seed);
    }

    /// <summary>The pin voltage that gives 4095.</summary>
    public double FullScaleMillivolts { get; }

    /// <summary>The fault in force.</summary>
    public SensorFault Fault { get; set; }

    /// <inheritdoc />
    public bool TryReadRaw(out int count)
    {
        count = 0;
        if (Fault == SensorFault.Disconnected)
        {
            return false;
        }

        count = (int)Math.Clamp(Math.Round(_pinMillivolts() / FullScaleMillivolts * 4095 + _noise.Gaussian(3)), 0, 4095);
        return true;
    }
}
