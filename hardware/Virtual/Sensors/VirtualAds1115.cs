using System;
using Gateway.Bindings.Bus;

namespace Gateway.Virtual.Sensors;

/// <summary>
/// A virtual ADS1115 input: quantises a voltage (µV) to the 16-bit two's-complement code at a full-scale range
/// (LSB = FSR / 32768, saturating at 0x7FFF / 0x8000), with input noise in µV.
/// </summary>
public sealed class VirtualAds1115 : IRawAdc
{
    private readonly Func<double> _microvolts;
    private readonly double _fullScaleVolts;
    private readonly SensorNoise _noise;
    private short _last;
    private bool _haveLast;

    /// <summary>Creates the input at the full-scale range in volts (6.144, 4.096, 2.048, 1.024, 0.512, 0.256).</summary>
    public VirtualAds1115(Func<double> microvolts, double fullScaleVolts, double noiseMicrovolts, int seed)
    {
        _microvolts = microvolts;
        _fullScaleVolts = fullScaleVolts;
        NoiseMicrovolts = noiseMicrovolts;
        _noise = new SensorNoise(seed);
    }

    /// <summary>Input noise, µV RMS.</summary>
    public double NoiseMicrovolts { get; set; }

    /// <summary>The fault in force (Disconnected: the converter NAKs; Stuck: the same code forever).</summary>
    public SensorFault Fault { get; set; }

    /// <inheritdoc />
    public bool TryReadRaw(out short code)
    {
        code = 0;
        if (Fault == SensorFault.Disconnected)
        {
            return false;
        }

        if (Fault == SensorFault.Stuck && _haveLast)
        {
            code = _last;
            return true;
        }

        double lsbMicrovolts = _fullScaleVolts * 1e6 / 32768.0;
        double c = Math.Round((_microvolts() + _noise.Gaussian(NoiseMicrovolts)) / lsbMicrovolts);
        code = (short)Math.Clamp(c, -32768, 32767);
        _last = code;
        _haveLast = true;
        return true;
    }
}
