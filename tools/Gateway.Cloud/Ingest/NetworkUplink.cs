using System;

namespace Gateway.Cloud.Ingest
{
    /// <summary>
    /// An uplink as a LoRaWAN network server hands it to an application: the device's EUI, port, frame counter,
    /// application payload (our batch bytes) and radio metadata. Adapters read it from ChirpStack's and
    /// The Things Stack's MQTT integration events.
    /// </summary>
    /// <param name="DevEui">Device EUI, 16 upper-case hex digits.</param>
    /// <param name="FPort">LoRaWAN application port.</param>
    /// <param name="FCnt">Uplink frame counter (the network's, not ours: our sequence numbers are in the payload).</param>
    /// <param name="Payload">Application payload bytes.</param>
    /// <param name="ReceivedAt">When the network server received it.</param>
    /// <param name="Rssi">Best gateway RSSI in dBm, when reported.</param>
    /// <param name="Snr">Best gateway SNR in dB, when reported.</param>
    /// <param name="SpreadingFactor">LoRa spreading factor, when reported.</param>
    public sealed record NetworkUplink(string DevEui, int FPort, uint FCnt, byte[] Payload, DateTimeOffset ReceivedAt, double? Rssi, double? Snr, int? SpreadingFactor);

    /// <summary>The result of reading an integration event: an uplink, or why the message was not one.</summary>
    /// <param name="Uplink">The uplink, when the message was a valid uplink event.</param>
    /// <param name="Error">Why the message was rejected, when it was.</param>
    public readonly record struct IngestResult(NetworkUplink? Uplink, string? Error)
    {
        /// <summary>A rejection with a reason.</summary>
        public static IngestResult Reject(string reason) => new(null, reason);

        /// <summary>True when an uplink was read.</summary>
        public bool Ok => Uplink is not null;
    }
}
