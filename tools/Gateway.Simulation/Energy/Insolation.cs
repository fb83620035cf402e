using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Gateway.Simulation.Energy
{
    /// <summary>
    /// Monthly sunshine of a site (data/asahikawa-sunshine.csv, with its source and licence) turned into global
    /// irradiance on a horizontal surface: FAO-56 extraterrestrial radiation (eq. 21) and the Ångström–Prescott
    /// relation (eq. 35), spread over the day on a half sine between sunrise and sunset.
    /// </summary>
    public sealed class Insolation
    {
        private const double SolarConstant = 0.0820; // MJ m-2 min-1 (FAO-56)
        private readonly double[] _sunshine = new double[12];

        /// <summary>Loads the site's monthly relative sunshine (percent) from the embedded CSV.</summary>
        public Insolation(string site = "asahikawa")
        {
            var asm = typeof(Insolation).Assembly;
            var name = asm.GetManifestResourceNames().Single(n => n.EndsWith(site + "-sunshine.csv", StringComparison.Ordinal));
            using var reader = new StreamReader(asm.GetManifestResourceStream(name)!);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                if (line.StartsWith('#') || line.StartsWith("month", StringComparison.Ordinal) || line.Length == 0)
                {
                    continue;
                }

                var f = line.Split(',');
                _sunshine[int.Parse(f[0], CultureInfo.InvariantCulture) - 1] = double.Parse(f[1], CultureInfo.InvariantCulture) / 100;
            }

            Site = site;
        }

        /// <summary>The site's name.</summary>
        public string Site { get; }

        /// <summary>Latitude of the site, degrees north.</summary>
        public double LatitudeDegrees { get; init; } = 43.77;

        /// <summary>Relative sunshine n/N of a month (1–12).</summary>
        public double Sunshine(int month) => _sunshine[month - 1];

        /// <summary>Daily global irradiation on a horizontal surface, Wh/m², for a day of the year in a month.</summary>
        public double DailyWhPerSquareMetre(int dayOfYear, int month)
        {
            var (ra, _) = Extraterrestrial(dayOfYear);
            var rs = (0.25 + 0.50 * Sunshine(month)) * ra; // MJ m-2 day-1
            return rs / 0.0036;
        }

        /// <summary>Irradiance (W/m²) at a UTC instant (Japan time is UTC+9), mean weather of the month.</summary>
        public double WattsPerSquareMetre(DateTimeOffset utc)
        {
            var local = utc.ToOffset(TimeSpan.FromHours(9));
            var (_, dayHours) = Extraterrestrial(local.DayOfYear);
            var hour = local.TimeOfDay.TotalHours;
            var sunrise = 12 - dayHours / 2;
            if (hour <= sunrise || hour >= sunrise + dayHours)
            {
                return 0;
            }

            var daily = DailyWhPerSquareMetre(local.DayOfYear, local.Month);
            // Half sine over the day: its integral over dayHours is daily.
            return daily * Math.PI / (2 * dayHours) * Math.Sin(Math.PI * (hour - sunrise) / dayHours);
        }

        private (double RaMj, double DayHours) Extraterrestrial(int dayOfYear)
        {
            var phi = LatitudeDegrees * Math.PI / 180;
            var dr = 1 + 0.033 * Math.Cos(2 * Math.PI / 365 * dayOfYear);
            var delta = 0.409 * Math.Sin(2 * Math.PI / 365 * dayOfYear - 1.39);
            var ws = Math.Acos(Math.Clamp(-Math.Tan(phi) * Math.Tan(delta), -1, 1));
            var ra = 24 * 60 / Math.PI * SolarConstant * dr * (ws * Math.Sin(phi) * Math.Sin(delta) + Math.Cos(phi) * Math.Cos(delta) * Math.Sin(ws));
            return (ra, 24 / Math.PI * ws);
        }
    }
}
