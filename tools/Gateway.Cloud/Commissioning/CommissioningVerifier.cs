using System;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Control;
using Gateway.Control.Commissioning;
using Gateway.Core.Codec;
using Gateway.Cloud.Security;

namespace Gateway.Cloud.Commissioning
{
    /// <summary>What the verifier decided about one commissioning record.</summary>
    public enum CommissioningVerdict
    {
        /// <summary>Authentic and new: stored.</summary>
        Accepted,

        /// <summary>Not a well-formed record.</summary>
        Malformed,

        /// <summary>The device is not in the key ring.</summary>
        UnknownDevice,

        /// <summary>The key id is not one of the device's keys.</summary>
        WrongKey,

        /// <summary>The tag does not match: forged or altered on the way.</summary>
        BadTag,

        /// <summary>Authentic, but already stored or older than the newest stored record of the device.</summary>
        Replayed,
    }

    /// <summary>The verdict, the reason, and the record when it could be read.</summary>
    public sealed record CommissioningOutcome(CommissioningVerdict Verdict, string Message, CommissioningRecord? Record, CommissioningRow? Row)
    {
        /// <summary>True when the record was authentic and stored.</summary>
        public bool Accepted => Verdict == CommissioningVerdict.Accepted;
    }

    /// <summary>
    /// The cloud side of commissioning (MQTT topic gw/{id}/commission, LoRaWAN FPort 5 or fragments on 6): checks the
    /// record's "GWCM" tag with the device's key from the key ring, refuses forged, altered and replayed records with a
    /// reason (kept in the audit trail when a receiver store is given), and stores the authentic ones in the
    /// <c>commissioning</c> table.
    /// </summary>
    public sealed class CommissioningVerifier
    {
        private readonly KeyRing _keys;
        private readonly CommissioningStore _store;
        private readonly IReceiverStore? _audit;

        /// <summary>Creates the verifier over the key ring and the commissioning table (and optionally the receiver's audit trail).</summary>
        public CommissioningVerifier(KeyRing keys, CommissioningStore store, IReceiverStore? audit = null)
        {
            _keys = keys;
            _store = store;
            _audit = audit;
        }

        /// <summary>Verifies and stores one record.</summary>
        public CommissioningOutcome Ingest(string transport, byte[] payload, long receivedAtMs)
        {
            var outcome = Verify(transport, payload, receivedAtMs);
            if (_audit is not null && outcome.Verdict != CommissioningVerdict.Accepted)
            {
                _audit.StoreChainEvent(new ChainEvent(outcome.Record?.DeviceId ?? 0, receivedAtMs, transport, "commissioning_" + outcome.Verdict.ToString().ToLowerInvariant(),
                    0, 0, outcome.Message));
            }

            return outcome;
        }

        private CommissioningOutcome Verify(string transport, byte[] payload, long receivedAtMs)
        {
            var record = new CommissioningRecord();
            var error = payload is null ? "no data" : CommissioningRecord.TryDecode(payload, 0, payload.Length, record);
            if (error.Length != 0)
            {
                return new(CommissioningVerdict.Malformed, "malformed commissioning record: " + error, null, null);
            }

            DeviceKey? key = null;
            var any = false;
            foreach (var k in _keys.Keys)
            {
                if (k.DeviceId == record.DeviceId)
                {
                    any = true;
                    if (k.KeyId == record.KeyId)
                    {
                        key = k;
                    }
                }
            }

            if (!any)
            {
                return new(CommissioningVerdict.UnknownDevice, $"device {record.DeviceId} is not in the key ring", record, null);
            }

            if (key is null)
            {
                return new(CommissioningVerdict.WrongKey, $"device {record.DeviceId} has no key id {record.KeyId}", record, null);
            }

            if (!CommissioningRecord.VerifyTag(new CloudHmacSha256(key.KeyId, key.Key), payload!, 0, payload!.Length))
            {
                return new(CommissioningVerdict.BadTag, $"device {record.DeviceId}: tag does not verify (forged or altered)", record, null);
            }

            var newest = _store.NewestRecordTime(record.DeviceId);
            if (newest is not null && record.TimeMs <= newest.Value)
            {
                return new(CommissioningVerdict.Replayed, $"device {record.DeviceId}: record time {record.TimeMs} is not after the newest stored ({newest.Value}): replayed", record, null);
            }

            var passed = record.Has(CommissioningRecord.FlagSelfTestPassed) && record.Has(CommissioningRecord.FlagLinkOk) && record.Has(CommissioningRecord.FlagStorageOk);
            var row = new CommissioningRow(record.DeviceId, record.KeyId, record.TimeMs, receivedAtMs, transport, passed, HexText.ToHex(record.Tag),
                HexText.ToHex(payload), string.Join(" | ", record.Describe()));
            if (!_store.Store(row))
            {
                return new(CommissioningVerdict.Replayed, $"device {record.DeviceId}: this record is already stored: replayed", record, null);
            }

            return new(CommissioningVerdict.Accepted, $"device {record.DeviceId}: commissioning record verified (key id {record.KeyId}) and stored", record, row);
        }
    }
}
