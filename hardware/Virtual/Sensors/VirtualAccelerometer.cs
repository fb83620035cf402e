using System;
using Gateway.Bindings.Bus;

namespace Gateway.Virtual.Sensors;

/// <summary>
/// A virtual ADXL345/MPU6050 at rest: gravity resolved on the axes for the true pitch and roll
/// (x = sin p, y = cos p · sin r, z = cos p · cos r, in g), scaled to counts, with noise and a temperature-driven
/// zero drift; faults: Disconnected (NAK), Stuck.
/// </summary>
public sealed class VirtualAccelerometer : IAccelerometerRaw
{
    private readonly Func<double> _pitchDegrees;
    private readonly Func<double> _rollDegrees;
    private readonly SensorNoise _noise;
    private int _lx, _ly, _lz;
    private bool _haveLast;

    /// <summary>Creates the part over the true attitude in degrees.</summary>
    public VirtualAccelerometer(Func<double> pitchDegrees, Func<double> rollDegrees, int countsPerG, double noiseCounts, int seed)
    {
        _pitchDegrees = pitchDegrees;
        _rollDegrees = rollDegrees;
        CountsPerG = countsPerG;
        NoiseCounts = noiseCounts;
        _noise = new SensorNoise(seed);
    }

    /// <summary>Counts per g.</summary>
    public int CountsPerG { get; }

    /// <summary>Noise per axis, counts RMS.</summary>
    public double NoiseCounts { get; set; }

    /// <summary>The fault in force.</summary>
    public SensorFault Fault { get; set; }

    /// <inheritdoc />
    public bool TryReadCounts(out int x, out int y, out int z)
    {
        x = y = z = 0;
        if (Fault == SensorFault.Disconnected)
        {
            return false;
        }

        if (Fault == SensorFault.Stuck && _haveLast)
        {
            x = _lx;
            y = _ly;
            z = _lz;
            return true;
        }

        double p = _pitchDegrees() * Math.PI / 180, r = _rollDegrees() * Math.PI / 180;
        x = (int)Math.Round(Math.Sin(p) * CountsPerG + _noise.Gaussian(NoiseCounts));
        y = (int)Math.Round(Math.Cos(p) * Math.Sin(r) * CountsPerG + _noise.Gaussian(NoiseCounts));
        z = (int)Math.Round(Math.Cos(p) * Math.Cos(r) * CountsPerG + _noise.Gaussian(NoiseCounts));
        _lx = x;
        _ly = y;
        _lz = z;
        _haveLast = true;
        return true;
    }
}
