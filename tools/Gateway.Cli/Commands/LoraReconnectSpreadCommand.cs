using System;
using System.Collections.Generic;
using System.CommandLine;
using Gateway.Core.Uplink;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway lora reconnect-spread: how a fleet that lost the network together comes back with the firmware's
    /// RetryBackoff (full jitter, capped): the busiest 10-second window's share of all reconnects.
    /// </summary>
    public sealed class LoraReconnectSpreadCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "lora";

        /// <summary>Result of one simulated outage.</summary>
        public sealed record Spread(int Gateways, int MaxInWindow, double MaxWindowShare, long MaxWindowStartMs, long LastReconnectMs, double MeanAttempts);

        /// <summary>
        /// Simulates <paramref name="gateways"/> gateways that lose the link within one second of each other and retry
        /// with <see cref="RetryBackoff"/> until the outage ends at <paramref name="outageMs"/>; the first attempt after
        /// that succeeds. Returns the largest number of reconnects in any window of <paramref name="windowMs"/>.
        /// </summary>
        public static Spread Simulate(int gateways, long outageMs, long baseMs, long capMs, ulong seed, long windowMs = 10_000)
        {
            var rng = new SeededRandom(seed);
            var reconnects = new List<long>(gateways);
            long attempts = 0;
            for (int g = 0; g < gateways; g++)
            {
                var backoff = new RetryBackoff(baseMs, capMs, new SeededRandom(((ulong)rng.NextUInt32() << 32) | rng.NextUInt32()));
                long t = SeededRandom.NextInclusive(rng, 1000);
                while (t < outageMs)
                {
                    t += backoff.NextDelayMs();
                    attempts++;
                }

                reconnects.Add(t);
            }

            reconnects.Sort();
            int worst = 0;
            long worstStart = 0;
            for (int i = 0, j = 0; i < reconnects.Count; i++)
            {
                while (reconnects[i] - reconnects[j] >= windowMs)
                {
                    j++;
                }

                if (i - j + 1 > worst)
                {
                    worst = i - j + 1;
                    worstStart = reconnects[j];
                }
            }

            return new Spread(gateways, worst, gateways == 0 ? 0 : (double)worst / gateways, worstStart,
                reconnects.Count == 0 ? 0 : reconnects[^1], gateways == 0 ? 0 : (double)attempts / gateways);
        }

        /// <inheritdoc />
        public Command Create()
        {
            var gateways = new Option<int>("--gateways") { Description = "gateways that lose the link together", DefaultValueFactory = _ => 1000 };
            var outage = new Option<double>("--outage-min") { Description = "outage length, minutes", DefaultValueFactory = _ => 30 };
            var baseMs = new Option<long>("--base-ms") { Description = "ceiling of the first wait, ms", DefaultValueFactory = _ => 2000 };
            var capMs = new Option<long>("--cap-ms") { Description = "largest ceiling, ms", DefaultValueFactory = _ => 900_000 };
            var seed = CommonOptions.Seed(2026);
            var json = CommonOptions.Json();
            var cmd = new Command("reconnect-spread", "reconnect storm after a shared outage with full-jitter capped backoff: max share of reconnects in any 10 s window");
            foreach (var o in new Option[] { gateways, outage, baseMs, capMs, seed, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var s = Simulate(pr.GetValue(gateways), (long)(pr.GetValue(outage) * 60_000), pr.GetValue(baseMs), pr.GetValue(capMs), (ulong)pr.GetValue(seed));
                new FigureReport()
                    .Add("gateways", s.Gateways)
                    .Add("outage_min", pr.GetValue(outage))
                    .Add("base_ms", pr.GetValue(baseMs))
                    .Add("cap_ms", pr.GetValue(capMs))
                    .Add("max_reconnects_in_10s", s.MaxInWindow)
                    .Add("max_10s_window_share", Math.Round(s.MaxWindowShare, 4))
                    .Add("busiest_window_start_s", s.MaxWindowStartMs / 1000.0)
                    .Add("last_reconnect_s", s.LastReconnectMs / 1000.0)
                    .Add("mean_attempts_per_gateway", Math.Round(s.MeanAttempts, 2))
                    .Write(pr.InvocationConfiguration.Output, pr.GetValue(json));
                return 0;
            });
            return cmd;
        }
    }
}
