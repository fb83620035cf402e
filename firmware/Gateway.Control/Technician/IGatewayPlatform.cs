using System.Collections;
using Gateway.Control.Commissioning;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Core.Node;
using Gateway.Core.Security;
using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Control.Technician
{
    /// <summary>
    /// What a board (the ESP32 composition) or the simulator's virtual gateway provides to the one portable
    /// implementation of the technician's services (<see cref="GatewayConsoleServices"/>, <see cref="SelfTest"/>,
    /// <see cref="Commissioner"/>): the parts it composed, and the few things only the platform knows how to do
    /// (measure on a shared UART, read the radio's signal, carry the record, wait). No method may throw for an
    /// expected failure.
    /// </summary>
    public interface IGatewayPlatform
    {
        /// <summary>The configuration in force.</summary>
        ConfigManager Config { get; }

        /// <summary>Identity and secrets.</summary>
        DeviceProvisioning Provisioning { get; }

        /// <summary>The control blobs (the storage self-test writes and reads one back).</summary>
        IDurableBlobs Blobs { get; }

        /// <summary>The device clock (not shifted by test mode).</summary>
        IClock Clock { get; }

        /// <summary>The node's clock (test mode moves it).</summary>
        TestClock TestClock { get; }

        /// <summary>The node, or null when it is not running.</summary>
        GatewayNode Node { get; }

        /// <summary>The node's sources wrapped for test mode, or null when the node is not running.</summary>
        TestModeSources TestSources { get; }

        /// <summary>The primary transport, or null when sending is refused.</summary>
        IUplinkTransport Transport { get; }

        /// <summary>Makes sure the node runs over the current provisioning and configuration; false with the reason.</summary>
        bool EnsureNode(out string reason);

        /// <summary>The platform's own status lines (board, reset cause, sensor faults).</summary>
        string[] DescribePlatform();

        /// <summary>An HMAC-SHA256 over the device key (hardware on the ESP32).</summary>
        IHmacSha256 CreateHmac(byte keyId, byte[] key);

        /// <summary>The level (or snow depth) now from the fitted level sensor, WITHOUT channels.level_offset_mm.</summary>
        bool TryMeasureRawLevel(out int levelMillimeters, out string error);

        /// <summary>The inclinometer now, WITHOUT the configured zero; false when none is fitted or it failed.</summary>
        bool TryMeasureRawTilt(out int xMillidegrees, out int yMillidegrees, out string error);

        /// <summary>Whether an air temperature probe is fitted (it compensates the ultrasonic ranger's speed of sound).</summary>
        bool HasAirTemperature { get; }

        /// <summary>The air temperature now, m°C; false when the probe does not answer.</summary>
        bool TryReadAirTemperature(out int millicelsius);

        /// <summary>Fills the record's link transport and signal fields from the radio, adding report lines.</summary>
        void ReadLinkSignal(CommissioningRecord record, ArrayList lines);

        /// <summary>
        /// After the link test: true when the clock is synchronised with the cloud (it sets the clock by downlink;
        /// <paramref name="correctionMs"/> is the step applied, 0 when unknown).
        /// </summary>
        bool TimeSynchronised(out int correctionMs);

        /// <summary>Sends the signed record to the cloud (MQTT gw/{id}/commission, LoRaWAN FPort 5 or 6); false with the reason.</summary>
        bool SendCommissioningRecord(byte[] record, int length, out string detail);

        /// <summary>A monotonic millisecond count for the link test's round trip.</summary>
        long ElapsedMs { get; }

        /// <summary>Waits before polling the link again for the acknowledgement (the board sleeps; a virtual gateway may not).</summary>
        void WaitForLink(int milliseconds);

        /// <summary>Whether an acknowledgement may still arrive after the first send (false when the cloud answers at once).</summary>
        bool AcknowledgementMayLag { get; }
    }
}
