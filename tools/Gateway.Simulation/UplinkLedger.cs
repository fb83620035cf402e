using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Security;
using Gateway.Core.Downlink;

namespace Gateway.Simulation
{
    /// <summary>
    /// What the broker took from the gateways and what the cloud answered, reading by reading: every gateway uplink the
    /// broker acknowledged (PUBACK) is counted per (device, sequence), and every acknowledgement downlink the receivers
    /// published is decoded and counted over the sequences it covers. A receiver answers each batch it handled (stored,
    /// or already stored) with acknowledgements of exactly its sequences, so a reading carried by more broker-accepted
    /// publishes than acknowledgements covering it was in a message the cloud lost after the broker had it — and the
    /// gateway had to send it again. Thread-safe: uplinks come from the simulation, acknowledgements from the broker link.
    /// </summary>
    public sealed class UplinkLedger
    {
        private readonly object _gate = new();
        private readonly Dictionary<(uint Device, uint Seq), (int Published, int Acked)> _counts = new();
        private readonly Dictionary<uint, DownlinkCodec> _codecs = new();
        private readonly Dictionary<uint, long> _next = new();
        private readonly DownlinkCommand _command = new();
        private long _uplinks;
        private long _acks;

        /// <summary>Creates the ledger over the devices' keys (to authenticate the acknowledgements it reads).</summary>
        public UplinkLedger(KeyRing keys)
        {
            ArgumentNullException.ThrowIfNull(keys);
            foreach (var k in keys.Keys)
            {
                _codecs[k.DeviceId] = new DownlinkCodec(k.DeviceId, new CloudHmacSha256(k.KeyId, k.Key));
            }
        }

        /// <summary>Gateway uplinks the broker acknowledged.</summary>
        public long Uplinks
        {
            get
            {
                lock (_gate)
                {
                    return _uplinks;
                }
            }
        }

        /// <summary>Acknowledgement downlinks read.</summary>
        public long Acks
        {
            get
            {
                lock (_gate)
                {
                    return _acks;
                }
            }
        }

        /// <summary>
        /// A gateway's batch the broker acknowledged, published on the device's topic at a simulated time (a compact
        /// version-2 batch is read against the sequence after the device's latest one seen here, as a receiver would).
        /// </summary>
        public void OnUplink(uint deviceId, byte[] payload, long publishedAtMs)
        {
            lock (_gate)
            {
                var context = new BatchContext(deviceId, _next.GetValueOrDefault(deviceId), publishedAtMs);
                if (BatchDecoder.TryDecode(payload, context, out var batch, out _) != DecodeStatus.Ok || batch is null)
                {
                    return;
                }

                _next[deviceId] = Math.Max(_next.GetValueOrDefault(deviceId), (long)batch.LastSequence + 1);
                _uplinks++;
                foreach (var r in batch.Readings)
                {
                    var key = (deviceId, r.Sequence);
                    var c = _counts.GetValueOrDefault(key);
                    _counts[key] = (c.Published + 1, c.Acked);
                }
            }
        }

        /// <summary>An acknowledgement downlink on gw/{id}/ack.</summary>
        public void OnAck(uint deviceId, byte[] payload)
        {
            lock (_gate)
            {
                if (!_codecs.TryGetValue(deviceId, out var codec))
                {
                    return;
                }

                // Several receivers answer out of counter order: the order check is the gateway's business, not the ledger's.
                codec.LastCounter = 0;
                if (codec.TryDecode(payload, 0, payload.Length, _command) != DownlinkRefusal.None || _command.Kind != DownlinkKind.Ack)
                {
                    return;
                }

                _acks++;
                for (var i = 0; i < _command.AckRangeCount; i++)
                {
                    for (var s = 0u; s < _command.AckCount[i]; s++)
                    {
                        var key = (deviceId, _command.AckFirst[i] + s);
                        var c = _counts.GetValueOrDefault(key);
                        _counts[key] = (c.Published, c.Acked + 1);
                    }
                }
            }
        }

        /// <summary>Readings carried by more broker-accepted publishes than acknowledgements covering them: lost by the cloud, resent by the gateway.</summary>
        public long ReadingsLostByCloud()
        {
            lock (_gate)
            {
                return _counts.Values.Sum(c => (long)Math.Max(0, c.Published - c.Acked));
            }
        }
    }
}
