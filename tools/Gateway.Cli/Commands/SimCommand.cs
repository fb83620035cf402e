using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Gateway.Simulation;
using Gateway.Simulation.Report;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway sim: the simulated deployment (the main job).</summary>
    public sealed class SimCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create()
        {
            var scenario = new Option<string>("--scenario") { Description = "typhoon (default), snow, slope, quiet, or a scenario file", DefaultValueFactory = _ => "typhoon" };
            var days = new Option<double?>("--days") { Description = "length in days (default: the scenario's)" };
            var seed = CommonOptions.Seed();
            var transport = new Option<string>("--transport") { Description = "lora (the RAK3172 driver over its emulator), cellular (the SIM7080G driver over its emulator) or wifi (a modelled MQTT path)", DefaultValueFactory = _ => "lora" };
            transport.AcceptOnlyFromAmong("lora", "cellular", "wifi");
            var loss = new Option<double>("--loss") { Description = "uplink loss probability (0..1); cellular: the probability that a publish breaks the MQTT connection (the batch arrives or not, even odds); with --broker only over lora (a real broker loses nothing)", DefaultValueFactory = _ => 0.1 };
            var outage = new Option<double?>("--outage") { Description = "one link outage of this many hours mid-run (default: the scenario's)" };
            var outageAt = new Option<double?>("--outage-at") { Description = "when the outage starts, hours into the run (default: mid-run)" };
            var cuts = new Option<int?>("--power-cuts") { Description = "power cuts per gateway (default: the scenario's)" };
            var hangs = new Option<int>("--modem-hangs") { Description = "cellular: modem firmware hangs per gateway (the driver power-cycles the modem through PWRKEY)", DefaultValueFactory = _ => 0 };
            var gateways = new Option<int>("--gateways") { Description = "gateways in the deployment", DefaultValueFactory = _ => 1 };
            var adr = new Option<string>("--adr") { Description = "LoRaWAN data rates: on (place gateways at seeded distances, each at the data rate ChirpStack's ADR would give it; DR2 gateways send fragments), off (every gateway at DR3), auto (default: on for more than one gateway or with --distance-km)", DefaultValueFactory = _ => "auto" };
            adr.AcceptOnlyFromAmong("auto", "on", "off");
            var distance = new Option<double?>("--distance-km") { Description = "place every gateway this far from the network's gateway (1..20 km, Okumura-Hata) and give it the ADR data rate" };
            var bootMs = new Option<double?>("--boot-ms") { Description = "energy account: ESP32 boot per deep-sleep wake, ms (default: the assumed 1200 of ENERGY.md P1; ./gateway hil measures it on a board: boot_ms)" };
            var cycleMs = new Option<double?>("--cycle-ms") { Description = "energy account: CPU time per wake the virtual clock does not see, ms (default: the assumed 150 of ENERGY.md P2; ./gateway hil measures a board's cycle: cycle_ms)" };
            var broker = new Option<string?>("--broker") { Description = "HOST:PORT of a real MQTT broker: gateways publish through it (cellular by default: each gateway's SIM7080G driver and modem emulator, their MQTT sessions carried over the simulator's one shared connection to the broker; --transport lora: the virtual network server publishes ChirpStack integration events) and ./gateway cloud run, started as its own process, consumes it into the report folder's received.db; credentials from GATEWAY_MQTT_USER / GATEWAY_MQTT_PASSWORD" };
            var receiver = new Option<string>("--receiver") { Description = "with --broker: process (default, ./gateway cloud run as its own process) or in-process", DefaultValueFactory = _ => "process" };
            receiver.AcceptOnlyFromAmong("process", "in-process");
            var receivers = new Option<int>("--receivers") { Description = "with --broker: cloud run processes sharing the load (an MQTT shared subscription group when more than one)", DefaultValueFactory = _ => 1 };
            var killEvery = new Option<double>("--kill-receiver-every") { Description = "with --broker: SIGKILL one receiver process (in turn) every this many seconds of wall time and restart it (0: never)", DefaultValueFactory = _ => 0 };
            var db = new Option<string?>("--db") { Description = "the receivers' database: postgres:CONNECTION-STRING (an empty database) or sqlite:PATH (default: the report folder's received.db)" };
            var compare = new Option<string>("--compare-transports") { Description = "also run the same deployment on the other radio (LoRaWAN and LTE-M, each real driver over its emulator) and print both energy budgets side by side: on, off, auto (default: the scenario's choice; the quiet month compares)", DefaultValueFactory = _ => "auto" };
            compare.AcceptOnlyFromAmong("auto", "on", "off");
            var outDir = new Option<string>("--out") { Description = "report folder", DefaultValueFactory = _ => "sim-out" };
            var json = CommonOptions.Json();
            var cmd = new Command("sim", "run a simulated deployment end to end: the real firmware on virtual hardware, the real cloud receiver, a report folder");
            foreach (var o in new Option[] { scenario, days, seed, transport, loss, outage, outageAt, cuts, hangs, gateways, adr, distance, bootMs, cycleMs, broker, receiver, receivers, killEvery, db, compare, outDir, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var options = new SimOptions
                {
                    Scenario = pr.GetValue(scenario)!,
                    Days = pr.GetValue(days),
                    Seed = pr.GetValue(seed),
                    Transport = pr.GetValue(transport)!,
                    Loss = pr.GetValue(loss),
                    OutageHours = pr.GetValue(outage),
                    OutageStartHours = pr.GetValue(outageAt),
                    PowerCuts = pr.GetValue(cuts),
                    ModemHangs = pr.GetValue(hangs),
                    Gateways = pr.GetValue(gateways),
                    Adr = pr.GetValue(adr)!,
                    DistanceKm = pr.GetValue(distance),
                    BootMs = pr.GetValue(bootMs),
                    CycleMs = pr.GetValue(cycleMs),
                    Broker = pr.GetValue(broker),
                    Receiver = pr.GetValue(receiver)!,
                    Receivers = pr.GetValue(receivers),
                    KillReceiverEverySeconds = pr.GetValue(killEvery),
                    Database = pr.GetValue(db),
                    OutDir = pr.GetValue(outDir)!,
                    CompareTransports = pr.GetValue(compare) switch { "on" => true, "off" => false, _ => null },
                };
                // Through a broker the gateways publish themselves (cellular) unless LoRaWAN is asked for by name.
                if (options.Broker != null && pr.GetResult(transport) is null or { Implicit: true })
                {
                    options.Transport = "cellular";
                }

                // Every flag is checked before anything starts or is written: one line for the first problem, exit 2.
                var problem = options.Problem();
                if (problem == null && options.Broker != null && options.Transport != "lora" && options.Loss > 0 && pr.GetResult(loss) is { Implicit: false })
                {
                    problem = $"--loss {options.Loss.ToString(System.Globalization.CultureInfo.InvariantCulture)}: not applied with --broker over {options.Transport} (the real broker carries every publish); leave --loss out, or use --transport lora (the virtual radio network loses frames)";
                }

                if (problem == null && options.Broker != null)
                {
                    problem = SimOptions.BrokerProblem(options.Broker, TimeSpan.FromSeconds(5));
                }

                if (problem != null)
                {
                    Console.Error.WriteLine("gateway sim: " + problem);
                    return 2;
                }

                var sw = Stopwatch.StartNew();
                Simulation.Simulation built;
                try
                {
                    built = new Simulation.Simulation(options);
                }
                catch (Exception ex) when (ex is ArgumentException or Npgsql.NpgsqlException or System.Net.Sockets.SocketException or Gateway.Cloud.ConfigurationException)
                {
                    Console.Error.WriteLine("gateway sim: " + ex.Message.Split('\n')[0]);
                    return 2;
                }
                catch (InvalidOperationException ex) when (options.Broker != null)
                {
                    // The receiver process did not become ready (its own one-line reason is in the message).
                    Console.Error.WriteLine("gateway sim: " + ex.Message.Split('\n')[0]);
                    return 2;
                }

                using var sim = built;
                var progress = new ProgressLine(Console.Error, $"{sim.Scenario.Name}: {sim.Days:0.#} days, {options.Gateways} gateway(s), {options.Transport}");
                sim.Run(progress.Report);
                progress.Done();
                var summary = SimSummary.Compute(sim, sw.Elapsed.TotalSeconds);
                if (options.ComparesTransports(sim.Scenario))
                {
                    var twin = new ProgressLine(Console.Error, $"{sim.Scenario.Name}: the same deployment on the other radio, for its energy budget");
                    Simulation.Energy.TransportComparison.Add(options, summary, (k, v) => summary.Add(new(k, v)));
                    twin.Done();
                }

                var checkpoint = SimLog.SignCheckpoint(sim.Store, options.OutDir);
                var page = ReportWriter.Write(options.OutDir, sim.Store, summary, SimSummary.Timelines(sim), SimSummary.Recorded(sim));
                var report = new FigureReport();
                foreach (var kv in summary)
                {
                    report.Add(kv.Key, kv.Value);
                }

                if (sim.ReceiverProcess != null)
                {
                    report.Add("receiver", "process");
                    report.Add("receiver_messages_handled", sim.ReceiverMessages);
                    report.Add("receiver_drained", sim.ReceiverDrained);
                    report.Add("end_phase_wall_s", Math.Round(sim.EndPhaseSeconds, 1));
                    report.Add("receivers", sim.ReceiverProcesses.Count);
                    report.Add("receiver_kills", sim.ReceiverKills);
                    report.Add("paced_wall_s", sim.PacedWallSeconds);
                    report.Add("broker_backpressure_waits", sim.Link?.BackpressureWaits ?? 0);
                    report.Add("readings_resent_after_cloud_loss", sim.ReadingsResentAfterCloudLoss);
                    report.Add("database", sim.Store.Engine);
                    if (options.Transport == "lora")
                    {
                        report.Add("lora_acks_late", sim.DownlinkDataWaitsTimedOut);
                    }
                }

                report.Add("log_checkpoint_size", checkpoint);
                report.Add("report", Path.GetFullPath(page));
                report.Write(Console.Out, pr.GetValue(json));
                var lost = Convert.ToInt64(summary.Find(k => k.Key == "readings_lost_unaccounted").Value);
                var dup = Convert.ToInt64(summary.Find(k => k.Key == "duplicates_stored").Value);
                var forged = Convert.ToInt64(summary.Find(k => k.Key == "forged_or_altered_accepted").Value);
                var cloudLost = sim.ReadingsResentAfterCloudLoss;
                if (lost > 0 || dup > 0 || forged > 0 || cloudLost > 0)
                {
                    Console.Error.WriteLine($"gateway sim: FAILED — lost unaccounted {lost}, duplicates stored {dup}, forged accepted {forged}, resent after cloud loss {cloudLost}");
                    return 1;
                }

                foreach (var kv in summary.Where(kv => kv.Key is "compared_readings_lost_unaccounted" or "compared_duplicates_stored" or "compared_forged_or_altered_accepted"))
                {
                    // The comparison's twin run is held to the same rules as the main run.
                    if (Convert.ToInt64(kv.Value) > 0)
                    {
                        Console.Error.WriteLine($"gateway sim: FAILED — the run on the other radio: {kv.Key} {kv.Value}");
                        return 1;
                    }
                }

                return 0;
            });
            return cmd;
        }
    }
}
