using System.Collections.Generic;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Ingest;
using Gateway.Control.Commissioning;

namespace Gateway.Cloud.Commissioning
{
    /// <summary>
    /// Commissioning records over LoRaWAN: whole on FPort 5, or in 11-byte fragments on FPort 6 (the batches' fragment
    /// format), reassembled per DevEUI and then verified like any other record.
    /// </summary>
    public sealed class LoRaCommissioningIngest
    {
        private readonly CommissioningVerifier _verifier;
        private readonly Dictionary<string, FragmentReassembler> _reassemblers = new();

        /// <summary>Creates the ingest over the verifier.</summary>
        public LoRaCommissioningIngest(CommissioningVerifier verifier) => _verifier = verifier;

        /// <summary>True for the FPorts this ingest handles.</summary>
        public static bool Handles(int fPort) => fPort == CommissioningRecord.LoRaPort || fPort == CommissioningRecord.LoRaFragmentPort;

        /// <summary>
        /// Takes one uplink; returns the verdict when a record is complete, null while fragments are still missing
        /// (<paramref name="error"/> says when a fragment was refused).
        /// </summary>
        public CommissioningOutcome? Add(NetworkUplink uplink, out string? error)
        {
            error = null;
            var at = uplink.ReceivedAt.ToUnixTimeMilliseconds();
            if (uplink.FPort == CommissioningRecord.LoRaPort)
            {
                return _verifier.Ingest("lora", uplink.Payload, at);
            }

            if (!_reassemblers.TryGetValue(uplink.DevEui, out var reassembler))
            {
                reassembler = new FragmentReassembler();
                _reassemblers[uplink.DevEui] = reassembler;
            }

            var record = reassembler.Add(uplink.Payload, out error);
            return record is null ? null : _verifier.Ingest("lora", record, at);
        }
    }
}
