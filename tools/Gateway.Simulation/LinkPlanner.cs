using System;
using Gateway.Core.Uplink;

namespace Gateway.Simulation
{
    /// <summary>One gateway's radio link to the town's LoRaWAN gateway and the data rate ADR gave it.</summary>
    /// <param name="DistanceKm">Distance to the network's gateway.</param>
    /// <param name="ShadowingDb">This site's log-normal shadowing (positive: more loss than the median).</param>
    /// <param name="MeanRssiDbm">Mean received signal strength at the network's gateway.</param>
    /// <param name="MeanSnrDb">Mean signal-to-noise ratio at the network's gateway.</param>
    /// <param name="MaxSnrDb">The best SNR of the uplink history ADR looked at.</param>
    /// <param name="DataRate">The AS923 data rate ADR settled on.</param>
    public sealed record GatewayLink(double DistanceKm, double ShadowingDb, double MeanRssiDbm, double MeanSnrDb, double MaxSnrDb, int DataRate);

    /// <summary>
    /// Places gateways at seeded distances and gives each the data rate a network server's ADR would (tools/Gateway.Simulation/README.md):
    /// Okumura–Hata path loss (suburban correction) at 923 MHz with log-normal shadowing per site, a link budget to
    /// the network's gateway, a history of uplink SNRs with per-frame fading, and the LoRaWAN / ChirpStack default ADR
    /// step: margin = max SNR − required SNR of the data rate − installation margin, one data rate up per 3 dB.
    /// </summary>
    public static class LinkPlanner
    {
        /// <summary>Carrier frequency, MHz (AS923-1 default channel).</summary>
        public const double FrequencyMHz = 923.2;

        /// <summary>Height of the network's gateway antenna (a mast or a municipal building), m.</summary>
        public const double NetworkAntennaHeightM = 30;

        /// <summary>Height of a gateway's antenna (a pole beside the river), m.</summary>
        public const double DeviceAntennaHeightM = 2;

        /// <summary>Gateway transmit power, dBm EIRP (the Japanese 920 MHz limit the RAK3172 is set to).</summary>
        public const double TxPowerDbm = 13;

        /// <summary>Network gateway antenna gain less cable loss, dB.</summary>
        public const double ReceiverGainDb = 3;

        /// <summary>Receiver noise figure, dB.</summary>
        public const double NoiseFigureDb = 6;

        /// <summary>Standard deviation of the per-site log-normal shadowing, dB.</summary>
        public const double ShadowingSigmaDb = 6;

        /// <summary>Standard deviation of the per-frame SNR variation (fading, interference), dB.</summary>
        public const double FadingSigmaDb = 2;

        /// <summary>ChirpStack's default installation margin, dB.</summary>
        public const double InstallationMarginDb = 10;

        /// <summary>Uplinks in the ADR history (ChirpStack keeps the last 20).</summary>
        public const int HistoryFrames = 20;

        /// <summary>Lowest data rate with the AS923 uplink dwell limit (DR0/DR1 carry nothing): the rate a device joins at.</summary>
        public const int MinDataRate = 2;

        /// <summary>Highest data rate ADR assigns (SF7 125 kHz; DR6 is a 250 kHz channel the default plan does not offer).</summary>
        public const int MaxDataRate = 5;

        /// <summary>Nearest and farthest seeded placement, km (Okumura–Hata holds from 1 km).</summary>
        public const double MinDistanceKm = 1, MaxDistanceKm = 5.5;

        /// <summary>Thermal noise in 125 kHz plus the noise figure, dBm.</summary>
        public static double NoiseFloorDbm => -174 + (10 * Math.Log10(125_000)) + NoiseFigureDb;

        /// <summary>SNR an SX127x/SX126x needs to demodulate at a spreading factor, dB (SX1276 datasheet table 13).</summary>
        public static double RequiredSnrDb(int spreadingFactor) => -20 + (2.5 * (12 - spreadingFactor));

        /// <summary>Okumura–Hata median path loss for a small or medium city with the suburban correction, dB.</summary>
        public static double PathLossDb(double distanceKm)
        {
            var logF = Math.Log10(FrequencyMHz);
            var logHb = Math.Log10(NetworkAntennaHeightM);
            var mobile = (((1.1 * logF) - 0.7) * DeviceAntennaHeightM) - ((1.56 * logF) - 0.8);
            var urban = 69.55 + (26.16 * logF) - (13.82 * logHb) - mobile + ((44.9 - (6.55 * logHb)) * Math.Log10(distanceKm));
            var suburban = 2 * Math.Pow(Math.Log10(FrequencyMHz / 28), 2) + 5.4;
            return urban - suburban;
        }

        /// <summary>
        /// ChirpStack's default ADR step from <paramref name="currentDataRate"/>: nStep = floor((max SNR − required SNR
        /// − installation margin) / 3); each positive step raises the data rate by one up to the maximum (further steps
        /// would lower the transmit power, not modelled); negative steps raise the power, never lower the data rate.
        /// </summary>
        public static int Adr(double maxSnrDb, int currentDataRate)
        {
            var margin = maxSnrDb - RequiredSnrDb(As923.SpreadingFactor(currentDataRate)) - InstallationMarginDb;
            var steps = (int)Math.Floor(margin / 3);
            var dr = currentDataRate;
            while (steps > 0 && dr < MaxDataRate)
            {
                dr++;
                steps--;
            }

            return dr;
        }

        /// <summary>
        /// Places one gateway (at <paramref name="distanceKm"/>, or uniformly over the ring between the nearest and the
        /// farthest placement) and settles its data rate: it joins at DR2, ADR looks at its first 20 uplinks.
        /// A site whose mean SNR is below what DR2 needs has no link and is placed again (commissioning checks the link).
        /// </summary>
        public static GatewayLink Place(Random random, double? distanceKm = null)
        {
            for (var attempt = 0; ; attempt++)
            {
                var d = distanceKm ?? Math.Sqrt((random.NextDouble() * ((MaxDistanceKm * MaxDistanceKm) - (MinDistanceKm * MinDistanceKm))) + (MinDistanceKm * MinDistanceKm));
                var shadow = Gaussian(random) * ShadowingSigmaDb;
                var rssi = TxPowerDbm + ReceiverGainDb - PathLossDb(d) - shadow;
                var snr = rssi - NoiseFloorDbm;
                if (snr < RequiredSnrDb(As923.SpreadingFactor(MinDataRate)) && attempt < 100)
                {
                    continue;
                }

                var max = double.MinValue;
                for (var i = 0; i < HistoryFrames; i++)
                {
                    max = Math.Max(max, snr + (Gaussian(random) * FadingSigmaDb));
                }

                return new GatewayLink(Math.Round(d, 3), Math.Round(shadow, 2), Math.Round(rssi, 1), Math.Round(snr, 1), Math.Round(max, 1), Adr(max, MinDataRate));
            }
        }

        /// <summary>A standard normal draw (Box–Muller).</summary>
        public static double Gaussian(Random random)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
