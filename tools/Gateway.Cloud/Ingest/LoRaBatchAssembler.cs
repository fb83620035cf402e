using System.Collections.Generic;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;

namespace Gateway.Cloud.Ingest
{
    /// <summary>What became of one LoRaWAN uplink: a whole batch to verify, a fragment kept until its batch is whole, or a refusal.</summary>
    /// <param name="Batch">The batch bytes when the uplink carried or completed one.</param>
    /// <param name="Error">Why the uplink was refused (a port that carries no batch, a malformed fragment).</param>
    public readonly record struct LoRaPayload(byte[]? Batch, string? Error)
    {
        /// <summary>True while a fragment waits for the rest of its batch.</summary>
        public bool Waiting => Batch is null && Error is null;
    }

    /// <summary>
    /// The ports of a LoRaWAN uplink (Codec/README.md §5.1): whole batches on <see cref="BatchFragmenter.BatchPort"/>,
    /// DR2 fragments on <see cref="BatchFragmenter.FragmentPort"/>, reassembled per device in frame-counter order
    /// (<see cref="FragmentReassembler.Add(byte[], uint, out string?)"/>) before the batch is verified like any other.
    /// A lost fragment loses its batch: nothing is acknowledged, so the gateway sends the batch again. Thread-safe.
    /// </summary>
    public sealed class LoRaBatchAssembler
    {
        /// <summary>Devices whose fragments are held at most (a flood of invented DevEUIs must not grow memory without bound).</summary>
        public const int MaxDevices = 100_000;

        private readonly Dictionary<string, FragmentReassembler> _byDevice = new();

        /// <summary>Fragments taken so far.</summary>
        public long Fragments { get; private set; }

        /// <summary>Batches made whole from fragments so far.</summary>
        public long Reassembled { get; private set; }

        /// <summary>Takes one uplink.</summary>
        public LoRaPayload Take(NetworkUplink uplink)
        {
            if (uplink.FPort == BatchFragmenter.BatchPort)
            {
                return new LoRaPayload(uplink.Payload, null);
            }

            if (uplink.FPort != BatchFragmenter.FragmentPort)
            {
                return new LoRaPayload(null, $"fPort {uplink.FPort} carries no batch (batches on {BatchFragmenter.BatchPort}, fragments on {BatchFragmenter.FragmentPort})");
            }

            lock (_byDevice)
            {
                if (!_byDevice.TryGetValue(uplink.DevEui, out var reassembler))
                {
                    if (_byDevice.Count >= MaxDevices)
                    {
                        _byDevice.Clear();
                    }

                    reassembler = new FragmentReassembler();
                    _byDevice[uplink.DevEui] = reassembler;
                }

                var batch = reassembler.Add(uplink.Payload, uplink.FCnt, out var error);
                if (error is not null)
                {
                    return new LoRaPayload(null, "fragment: " + error);
                }

                Fragments++;
                if (batch is not null)
                {
                    Reassembled++;
                }

                return new LoRaPayload(batch, null);
            }
        }
    }
}
