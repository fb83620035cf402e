using System;
using System.Collections.Generic;
using System.Linq;

namespace Gateway.Simulation.Report
{
    /// <summary>What one figure of a run means: its unit and one sentence a person can read.</summary>
    /// <param name="Name">The figure's name, as <c>./gateway sim --json</c> prints it.</param>
    /// <param name="Unit">Its unit ("readings", "s", "bytes", "fraction 0..1", "text", ...).</param>
    /// <param name="Meaning">One sentence: what it counts or measures, and what a good value is where that helps.</param>
    public sealed record FigureEntry(string Name, string Unit, string Meaning);

    /// <summary>
    /// The one glossary of the simulator's figures: the report's summary table, the README's figure tables and the test
    /// that every figure <c>./gateway sim --json</c> prints is explained all read it. A figure added to the simulator
    /// gets its entry here.
    /// </summary>
    public static class FigureGlossary
    {
        private static readonly FigureEntry[] All =
        {
            new("scenario", "text", "The scenario that was run (the world the virtual sensors follow and the site's alarm rules)."),
            new("days", "days", "Length of the simulated deployment."),
            new("gateways", "gateways", "Gateways in the deployment, each running the real firmware on its own virtual hardware."),
            new("readings_taken", "records", "Records the gateways committed to flash (readings, events, alarms): the ground truth."),
            new("readings_delivered", "records", "Of those, records the cloud stored with exactly the gateway's time, channel and value."),
            new("completeness", "fraction 0..1", "Delivered records over those the gateways did not thin on purpose; 1 means nothing missing."),
            new("readings_lost_unaccounted", "records", "Records neither stored nor covered by a gap report: silent loss, must be 0."),
            new("duplicates_stored", "records", "The same measurement stored twice, or a sequence stored with other content: must be 0."),
            new("gaps_reported", "gap records", "Gap records the gateways sent to account for records they dropped when flash filled."),
            new("readings_thinned", "records", "Records the gateways dropped on purpose under the capacity policy and reported in a gap record."),
            new("alarms", "alarms", "Alarm records the cloud stored (levels reached, rates exceeded, tilt limits passed)."),
            new("alarm_latency_p50_s", "s", "Median time from an alarm's measurement to its storage in the cloud (airtime and outages included)."),
            new("alarm_latency_p99_s", "s", "99th percentile of the same alarm latency: the slow alarms, e.g. those raised during an outage."),
            new("bytes_per_reading_on_air", "bytes", "Uplink payload bytes sent per delivered record (resends included): what compression and batching achieve."),
            new("airtime_s_per_day", "s/day", "LoRaWAN transmit time per gateway per day (0 for cellular and Wi-Fi)."),
            new("max_airtime_s_in_any_hour", "s", "Most LoRaWAN transmit time of one gateway in any rolling hour; the AS923 duty-cycle budget bounds it."),
            new("longest_transmission_ms", "ms", "Longest single LoRaWAN transmission; ARIB STD-T108 allows at most 4,000 ms."),
            new("uplink_frames", "frames", "LoRaWAN uplink frames the RAK3172 modules sent, all gateways."),
            new("join_requests", "frames", "LoRaWAN join requests sent (one per gateway unless the network forgot it)."),
            new("modem_at_commands", "commands", "AT command lines the emulated SIM7080G modems answered."),
            new("modem_attaches", "attaches", "Network registrations the drivers saw (after radio on, a boot, or coverage coming back)."),
            new("modem_pdp_activations", "activations", "PDP contexts activated (AT+CNACT=0,1 accepted)."),
            new("modem_coverage_losses", "losses", "Times an outage took the modems' coverage away."),
            new("modem_power_cycles", "cycles", "PWRKEY power cycles the drivers did to revive a hung modem."),
            new("modem_power_key_presses", "presses", "PWRKEY presses the modems acted on."),
            new("mqtt_sessions", "sessions", "MQTT sessions the modems opened (AT+SMCONN answered OK)."),
            new("mqtt_sessions_lost", "sessions", "MQTT sessions the drivers saw lost (a broken connection or lost coverage)."),
            new("mqtt_publishes", "publishes", "Batches the modems published to the broker, resends included."),
            new("mqtt_publishes_broken", "publishes", "Publishes that broke the MQTT connection (the run's --loss over TCP)."),
            new("mqtt_publishes_lost", "publishes", "Of the broken publishes, batches that never reached the cloud (the gateway resent them)."),
            new("mqtt_downlinks", "messages", "Acknowledgements the modems put on the UART as +SMSUB lines."),
            new("mqtt_downlinks_after_reconnect", "messages", "Acknowledgements a persistent MQTT session kept until the modem reconnected."),
            new("modem_command_timeouts", "commands", "Driver commands the modem never answered (a hang or a power cut)."),
            new("flash_bytes_per_reading", "bytes", "Bytes written to flash per committed record: the record itself and its share of the log's own bookkeeping."),
            new("power_cuts", "cuts", "Power cuts the gateways went through (the ESP32 reset at an arbitrary instant, mid-write included)."),
            new("readings_interrupted_by_power_cuts", "records", "Records a power cut tore before their commit; the log drops them at boot and they count as never taken."),
            new("forgeries_tried", "batches", "Forged or altered batches an attacker sent to the receiver during the run."),
            new("forged_or_altered_accepted", "batches", "Of those, batches the receiver accepted: must be 0."),
            new("rejected_batches", "batches", "Batches the receiver refused (forged, wrong key, malformed, truncated); normally the forgeries."),
            new("wall_seconds", "s", "Real time the run took on this machine, start to report."),
            new("receiver", "text", "Where the receiver ran: process (./gateway cloud run, as an operator runs it)."),
            new("receiver_messages_handled", "messages", "Broker messages the receiver process reported handled when it was stopped."),
            new("receiver_drained", "yes/no", "True when the receiver had handled every published message before it was stopped."),
            new("end_phase_wall_s", "s", "Real time the end of the run took: every gateway sending what it still held until acknowledged."),
            new("receivers", "processes", "Receiver processes that shared the broker's messages (an MQTT shared subscription)."),
            new("receiver_kills", "kills", "Times a receiver process was killed with SIGKILL and restarted (--kill-receiver-every)."),
            new("paced_wall_s", "s", "Real time the simulator waited for the broker and the receivers to keep up."),
            new("broker_backpressure_waits", "waits", "Times the simulator paused publishing because the broker's in-flight window was full."),
            new("readings_resent_after_cloud_loss", "records", "Records a gateway sent again because the cloud lost them after the broker had them: must be 0."),
            new("database", "text", "The receivers' database engine (sqlite or postgres)."),
            new("lora_acks_late", "uplinks", "LoRaWAN uplinks whose acknowledgement missed the receive window (it comes with a later uplink)."),
            new("airtime_s", "s", "LoRaWAN transmit time of all gateways over the whole run."),
            new("cayenne_lpp_airtime_s", "s", "The airtime CayenneLPP would have used for the same readings at the same data rates, one frame per wake (no time, sequence or authentication)."),
            new("cayenne_lpp_airtime_s_per_day", "s/day", "The same CayenneLPP airtime per gateway per day, to set beside airtime_s_per_day."),
            new("airtime_vs_cayenne_lpp", "ratio", "Our airtime over CayenneLPP's for the same readings; below 1 means our frames cost less air."),
            new("gateways_by_dr", "gateways per data rate", "How many gateways the network's ADR put at each AS923 data rate (DR2 sends fragments)."),
            new("airtime_s_per_day_by_dr", "s/day per data rate", "LoRaWAN transmit time per gateway per day, for the gateways at each data rate."),
            new("cayenne_lpp_airtime_s_per_day_by_dr", "s/day per data rate", "CayenneLPP's airtime per gateway per day for the same readings, for the gateways at each data rate."),
            new("max_airtime_s_in_any_hour_by_dr", "s per data rate", "Most transmit time of one gateway in any rolling hour, for the gateways at each data rate (the duty-cycle budget bounds it)."),
            new("gateway_distance_km_by_dr", "km per data rate", "Mean distance from the network's gateway of the gateways at each data rate (when the run places them)."),
            new("fragments_sent", "frames", "DR2 fragments the gateways sent on fPort 2 (a batch too large for one 11-byte frame)."),
            new("batches_reassembled", "batches", "Batches the in-process receiver put back together from their fragments (runs without a broker)."),
            new("lora_uplinks_refused", "uplinks", "LoRaWAN uplinks the in-process receiver refused by port or fragment shape: must be 0 (runs without a broker)."),
            new("energy_mah_per_day", "mAh/day", "Mean charge a gateway drew from its battery per day, from its own timeline of boots, wakes, radio and sensors."),
            new("energy_mah_per_day_by_component", "mAh/day per component", "The same charge split by component (ESP32, regulator, divider, radio modules, sensors, charger)."),
            new("wakes_per_day", "wakes/day", "Times a gateway woke to sample or send, per day."),
            new("boots_per_day", "boots/day", "Wakes that started the firmware from deep sleep (the costliest part of a wake), per day."),
            new("esp_boot_ms", "ms", "ESP32 boot per deep-sleep wake the energy account used: the assumed figure (ENERGY.md P1), or --boot-ms (hil's boot_ms from a board)."),
            new("esp_cycle_ms", "ms", "CPU time per wake beyond the virtual clock the energy account used: the assumed figure (ENERGY.md P2), or --cycle-ms (hil's cycle_ms from a board)."),
            new("supply", "text", "The power supply modelled: a primary cell or the solar kit and its site."),
            new("battery_life_years", "years", "How long the primary cell lasts at this rate, self-discharge included."),
            new("solar_charge_mah", "mAh", "Charge the solar panel put into a gateway's battery over the run (mean per gateway)."),
            new("battery_min_soc", "fraction 0..1", "Lowest state of charge any gateway's battery reached."),
            new("brownouts", "resets", "Times a gateway's supply fell below what the ESP32 needs and it reset: must be 0."),
            new("energy_mah_per_day_by_transport", "mAh/day per transport", "With --compare-transports (the quiet month by default): energy_mah_per_day of this deployment over LoRaWAN (lorawan) and over LTE-M (lte_m), the other one from a run of the same scenario and seed on the other radio's real driver."),
            new("battery_life_years_by_transport", "years per transport", "The same comparison's battery_life_years on the primary cell, LoRaWAN beside LTE-M."),
            new("compared_transport", "text", "The transport of the comparison's second run (lora or cellular)."),
            new("compared_completeness", "fraction 0..1", "The second run's completeness: its figures count only if it delivered every reading too."),
            new("compared_readings_lost_unaccounted", "readings", "The second run's readings_lost_unaccounted: must be 0 (the command fails otherwise)."),
            new("compared_duplicates_stored", "readings", "The second run's duplicates_stored: must be 0 (the command fails otherwise)."),
            new("compared_forged_or_altered_accepted", "batches", "The second run's forged_or_altered_accepted: must be 0 (the command fails otherwise)."),
            new("compared_brownouts", "resets", "The second run's brownouts: must be 0."),
            new("governor_max_step", "step 0..3", "The deepest autonomy step any gateway's governor reached (0 normal, 1 saving, 2 low, 3 critical)."),
            new("governor_final_step", "step 0..3", "The autonomy step the gateways ended the run in (the deepest of them)."),
            new("governor_changes", "changes", "Times a governor changed step over the run, all gateways."),
            new("log_checkpoint_size", "leaves", "Leaves of the transparency log covered by the checkpoint the run signed at its end (sim-out/log.key): one per accepted batch; ./gateway audit database checks the database against it."),
            new("report", "path", "The report page (index.html) this run wrote."),
        };

        private static readonly Dictionary<string, FigureEntry> ByName = All.ToDictionary(e => e.Name, StringComparer.Ordinal);

        /// <summary>Every entry, in the order the simulator prints its figures.</summary>
        public static IReadOnlyList<FigureEntry> Entries => All;

        /// <summary>The entry of a figure, or null when the glossary does not know it.</summary>
        public static FigureEntry? Find(string name) => ByName.TryGetValue(name, out var e) ? e : null;

        /// <summary>The names the glossary does not explain, in the order given.</summary>
        public static IReadOnlyList<string> Missing(IEnumerable<string> names) => names.Where(n => !ByName.ContainsKey(n)).ToList();
    }
}
