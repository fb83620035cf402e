using System;
using Gateway.Bindings.Bus;

namespace Gateway.Virtual.Sensors;

/// <summary>Noise and fault model of an ultrasonic ranger.</summary>
public sealed class UltrasonicNoiseModel
{
    /// <summary>Standard deviation of a ping, millimetres.</summary>
    public double SigmaMm { get; set; } = 2.0;

    /// <summary>Probability that a ping returns a false echo (web, pier, rain drop, multipath).</summary>
    public double FalseEchoProbability { get; set; } = 0.02;

    /// <summary>Probability that a frame is garbled on the wire (bad checksum or line noise bytes).</summary>
    public double GarbageFrameProbability { get; set; } = 0.005;

    /// <summary>The fixed speed of sound the module computes with, mm/s (0: the module compensates exactly).</summary>
    public int ModuleSpeedMmPerSecond { get; set; } = 343200;

    /// <summary>Blanking distance of the part: nearer targets are not seen.</summary>
    public int BlankingMm { get; set; } = 30;

    /// <summary>Maximum range: further targets give 0 (no echo).</summary>
    public int MaxRangeMm { get; set; } = 4500;
}

/// <summary>
/// A virtual A02YYUW / JSN-SR04T in serial mode: emits real 4-byte frames (0xFF, high, low, checksum) computed from
/// the scenario's true distance and air temperature through the module's fixed speed of sound, with seeded noise,
/// false echoes, garbled frames and faults. Implements the binding's <see cref="IByteStream"/>.
/// </summary>
public sealed class VirtualUartRanger : IByteStream
{
    private readonly Func<double> _trueDistanceMm;
    private readonly Func<double> _airCelsius;
    private readonly UltrasonicNoiseModel _model;
    private readonly SensorNoise _noise;
    private readonly byte[] _pending = new byte[16];
    private int _pendingCount;
    private int _pendingRead;
    private int _lastDistance = -1;

    /// <summary>Creates the part over truth functions (read at every ping).</summary>
    public VirtualUartRanger(Func<double> trueDistanceMm, Func<double> airCelsius, UltrasonicNoiseModel model, int seed)
    {
        _trueDistanceMm = trueDistanceMm;
        _airCelsius = airCelsius;
        _model = model;
        _noise = new SensorNoise(seed);
    }

    /// <summary>The fault in force.</summary>
    public SensorFault Fault { get; set; }

    /// <summary>Pings emitted.</summary>
    public int Pings { get; private set; }

    /// <summary>False echoes injected (frames carrying a wrong distance).</summary>
    public int FalseEchoesInjected { get; private set; }

    /// <summary>Garbled frames injected.</summary>
    public int GarbageFramesInjected { get; private set; }

    /// <summary>Set true by every injected false echo; the test clears it per reading.</summary>
    public bool FalseEchoSinceMark { get; set; }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        if (Fault == SensorFault.Disconnected)
        {
            return 0;
        }

        if (_pendingRead >= _pendingCount)
        {
            NextFrame();
        }

        int n = Math.Min(count, _pendingCount - _pendingRead);
        Array.Copy(_pending, _pendingRead, buffer, offset, n);
        _pendingRead += n;
        return n;
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
    }

    /// <inheritdoc />
    public void DiscardInput()
    {
        _pendingCount = 0;
        _pendingRead = 0;
    }

    private void NextFrame()
    {
        _pendingCount = 0;
        _pendingRead = 0;
        Pings++;
        if (Fault == SensorFault.Garbage || _noise.Chance(_model.GarbageFrameProbability))
        {
            GarbageFramesInjected++;
            // Line noise bytes (never a header) then a frame whose checksum is wrong.
            int noiseBytes = (int)_noise.Uniform(0, 3);
            for (int i = 0; i < noiseBytes; i++)
            {
                _pending[_pendingCount++] = (byte)(_noise.Byte() & 0x7F);
            }

            int bogus = (int)_noise.Uniform(0, 4500);
            byte h = (byte)(bogus >> 8), l = (byte)bogus;
            _pending[_pendingCount++] = 0xFF;
            _pending[_pendingCount++] = h;
            _pending[_pendingCount++] = l;
            _pending[_pendingCount++] = (byte)((0xFF + h + l + 1 + (int)_noise.Uniform(0, 254)) & 0xFF);
            return;
        }

        int distance;
        if (Fault == SensorFault.Stuck && _lastDistance >= 0)
        {
            distance = _lastDistance;
        }
        else
        {
            double d = _trueDistanceMm();
            double t = _airCelsius();
            double c = 331300.0 * Math.Sqrt(1.0 + t / 273.15);
            double reported = _model.ModuleSpeedMmPerSecond > 0 ? d * _model.ModuleSpeedMmPerSecond / c : d;
            reported += _noise.Gaussian(_model.SigmaMm);
            if (_noise.Chance(_model.FalseEchoProbability))
            {
                FalseEchoesInjected++;
                FalseEchoSinceMark = true;
                // Half are near targets (a web, a branch), half multipath (twice the distance).
                reported = _noise.Chance(0.5) ? _noise.Uniform(_model.BlankingMm, d * 0.8) : 2 * d + _noise.Uniform(-20, 20);
            }

            distance = reported < _model.BlankingMm || reported > _model.MaxRangeMm ? 0 : (int)Math.Round(reported);
            _lastDistance = distance;
        }

        byte hi = (byte)(distance >> 8), lo = (byte)distance;
        _pending[_pendingCount++] = 0xFF;
        _pending[_pendingCount++] = hi;
        _pending[_pendingCount++] = lo;
        _pending[_pendingCount++] = (byte)((0xFF + hi + lo) & 0xFF);
    }
}
