using System;

namespace Gateway.Virtual.Sensors;

/// <summary>Seeded noise for the virtual parts: every run with the same seed replays exactly.</summary>
public sealed class SensorNoise
{
    private readonly Random _random;

    /// <summary>Creates a noise source with a seed.</summary>
    public SensorNoise(int seed) => _random = new Random(seed);

    /// <summary>A normal deviate with standard deviation <paramref name="sigma"/> (Box–Muller).</summary>
    public double Gaussian(double sigma)
    {
        if (sigma <= 0)
        {
            return 0;
        }

        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => p > 0 && _random.NextDouble() < p;

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * _random.NextDouble();

    /// <summary>A random byte.</summary>
    public byte Byte() => (byte)_random.Next(256);
}
