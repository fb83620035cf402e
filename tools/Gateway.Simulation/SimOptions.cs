namespace Gateway.Simulation
{
    /// <summary>How to run a simulated deployment.</summary>
    public sealed partial class SimOptions
    {
        /// <summary>Scenario name or file.</summary>
        public string Scenario { get; set; } = "typhoon";

        /// <summary>Length in days (null: the scenario's own).</summary>
        public double? Days { get; set; }

        /// <summary>Seed of every random choice.</summary>
        public int Seed { get; set; } = 1;

        /// <summary>lora, cellular or wifi.</summary>
        public string Transport { get; set; } = "lora";

        /// <summary>Probability that an uplink is lost.</summary>
        public double Loss { get; set; } = 0.1;

        /// <summary>One link outage of this many hours mid-run (null: the scenario's own).</summary>
        public double? OutageHours { get; set; }

        /// <summary>When the outage starts, hours into the run (null: mid-run, at 55 %).</summary>
        public double? OutageStartHours { get; set; }

        /// <summary>Power cuts spread over the run (null: the scenario's own).</summary>
        public int? PowerCuts { get; set; }

        /// <summary>
        /// Cellular modem firmware hangs per gateway, spread over the run (the modem answers nothing until the driver
        /// power-cycles it through PWRKEY). Only with the real SIM7080G driver (cellular).
        /// </summary>
        public int ModemHangs { get; set; }

        /// <summary>
        /// LoRaWAN data rates: "on" places every gateway (seeded distances, or <see cref="DistanceKm"/>) and gives it
        /// the data rate ADR would (<see cref="LinkPlanner"/>); "off" keeps every gateway at DR3; "auto" (default) is on
        /// for more than one gateway or with <see cref="DistanceKm"/>, off otherwise.
        /// </summary>
        public string Adr { get; set; } = "auto";

        /// <summary>Places every gateway this far (km) from the network's gateway (null: seeded distances).</summary>
        public double? DistanceKm { get; set; }

        /// <summary>True when the gateways are placed and given ADR data rates (LoRaWAN only).</summary>
        public bool PlacesGateways => Transport == "lora" && (Adr == "on" || (Adr == "auto" && (Gateways > 1 || DistanceKm is not null)));

        /// <summary>Gateways in the deployment.</summary>
        public int Gateways { get; set; } = 1;

        /// <summary>host:port of a real MQTT broker to go through (cellular/Wi-Fi batches, LoRaWAN as ChirpStack integration events), or null for the in-process path.</summary>
        public string? Broker { get; set; }

        /// <summary>
        /// With a broker, where the receiver runs: "process" (default: <c>./gateway cloud run</c> as its own process, as
        /// the operator runs it) or "in-process" (the same service inside the simulator, for tests and debugging).
        /// </summary>
        public string Receiver { get; set; } = "process";

        /// <summary>
        /// The command that runs the CLI for the receiver process (executable, then leading arguments, e.g.
        /// ["dotnet", "/path/gateway.dll"]); null: this process's own CLI (<see cref="ReceiverProcess.CurrentCli"/>).
        /// </summary>
        public System.Collections.Generic.IReadOnlyList<string>? ReceiverCommand { get; set; }

        /// <summary>With a broker and process receivers: how many <c>cloud run</c> processes share the load (an MQTT shared subscription group when more than one).</summary>
        public int Receivers { get; set; } = 1;

        /// <summary>With process receivers: SIGKILL one (in turn) every this many seconds of wall time and restart it; 0: never.</summary>
        public double KillReceiverEverySeconds { get; set; }

        /// <summary>The receivers' database as a <c>--db</c> spec (<c>postgres:CONNECTION-STRING</c>, <c>sqlite:PATH</c>); null: the report folder's received.db.</summary>
        public string? Database { get; set; }

        /// <summary>Broker user (or GATEWAY_MQTT_USER).</summary>
        public string? BrokerUser { get; set; }

        /// <summary>Broker password (or GATEWAY_MQTT_PASSWORD).</summary>
        public string? BrokerPassword { get; set; }

        /// <summary>Report folder.</summary>
        public string OutDir { get; set; } = "sim-out";

        /// <summary>Forged and altered batches injected at the receiver during the run (the attacker's tries).</summary>
        public int ForgeryAttempts { get; set; } = 50;

        /// <summary>
        /// ESP32 boot per deep-sleep wake, ms, for the energy account (null: <see cref="Energy.CurrentProfile"/>'s
        /// assumed figure, ENERGY.md P1); <c>./gateway hil</c> measures it on a board (<c>boot_ms</c>).
        /// </summary>
        public double? BootMs { get; set; }

        /// <summary>
        /// CPU time per wake the virtual clock does not see, ms (null: the assumed figure, ENERGY.md P2);
        /// <c>./gateway hil</c> measures a board's cycle (<c>cycle_ms</c>).
        /// </summary>
        public double? CycleMs { get; set; }

        /// <summary>
        /// Also run the same deployment on the other radio (LoRaWAN and LTE-M) and print both energy budgets side by
        /// side (<see cref="Energy.TransportComparison"/>); null: the scenario's own choice (the quiet month compares).
        /// </summary>
        public bool? CompareTransports { get; set; }

        /// <summary>True when this run compares transports: asked for, or the scenario's choice where it can (no broker, lora or cellular).</summary>
        public bool ComparesTransports(SimScenario scenario) =>
            CompareTransports ?? (scenario.CompareTransports && Energy.TransportComparison.Refusal(this) == null);

        /// <summary>A copy to change (the comparison's twin run).</summary>
        public SimOptions Clone() => (SimOptions)MemberwiseClone();

        /// <summary>The energy account's profile: the defaults, with <see cref="BootMs"/> and <see cref="CycleMs"/> when given.</summary>
        public Energy.CurrentProfile EnergyProfile() => BootMs is null && CycleMs is null
            ? Energy.CurrentProfile.Default
            : new Energy.CurrentProfile
            {
                EspBootMs = BootMs ?? Energy.CurrentProfile.Default.EspBootMs,
                EspCycleMs = CycleMs ?? Energy.CurrentProfile.Default.EspCycleMs,
            };
    }
}
