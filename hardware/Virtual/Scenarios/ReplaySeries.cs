using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Gateway.Virtual.Scenarios;

/// <summary>A replayed distance series: (hours since the first row, distance mm, air °C), held step-wise between rows.</summary>
public sealed class ReplaySeries
{
    private ReplaySeries(double[] hours, double[] distanceMm, double[] airCelsius)
    {
        Hours = hours;
        DistanceMm = distanceMm;
        AirCelsius = airCelsius;
    }

    /// <summary>Row times, hours since the first row.</summary>
    public double[] Hours { get; }

    /// <summary>Row distances, mm.</summary>
    public double[] DistanceMm { get; }

    /// <summary>Row air temperatures, °C.</summary>
    public double[] AirCelsius { get; }

    /// <summary>Wall time of the first row (UTC).</summary>
    public DateTimeOffset Start { get; private set; }

    /// <summary>Reads a Trout Creek logger file: two header lines, then time, PresOB, RH, TempOB, TempRTC, Bat, Range [cm], ...</summary>
    public static ReplaySeries LoadTroutCreek(string path, int maxRows)
    {
        var h = new List<double>();
        var d = new List<double>();
        var t = new List<double>();
        DateTimeOffset start = default;
        foreach (string line in File.ReadLines(path))
        {
            string[] f = line.Split(',');
            if (f.Length < 7 || !DateTimeOffset.TryParseExact(f[0].Trim(), "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when))
            {
                continue;
            }

            if (!double.TryParse(f[6], NumberStyles.Float, CultureInfo.InvariantCulture, out double rangeCm) ||
                !double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double air))
            {
                continue;
            }

            if (h.Count == 0)
            {
                start = when;
            }

            h.Add((when - start).TotalHours);
            d.Add(rangeCm * 10.0);
            t.Add(air);
            if (maxRows > 0 && h.Count >= maxRows)
            {
                break;
            }
        }

        return new ReplaySeries(h.ToArray(), d.ToArray(), t.ToArray()) { Start = start };
    }

    /// <summary>The index of the row in force at <paramref name="hours"/>.</summary>
    public int IndexAt(double hours)
    {
        int i = Array.BinarySearch(Hours, hours);
        if (i < 0)
        {
            i = ~i - 1;
        }

        return Math.Clamp(i, 0, Hours.Length - 1);
    }
}
