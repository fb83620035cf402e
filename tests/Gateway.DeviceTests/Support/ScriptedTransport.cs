using System;
using System.Collections;
using Gateway.Core.Downlink;
using Gateway.Core.Security;
using Gateway.Core.Storage;
using Gateway.Core.Uplink;

namespace Gateway.DeviceTests.Support
{
    /// <summary>
    /// An <see cref="IUplinkTransport"/> with a scripted cloud behind it, as tools/Gateway.Simulation/LoopbackTransport.cs
    /// and the cloud receiver do on the host: every payload handed over is checked (tag, device, header) and its
    /// sequences are stored; the cloud answers with an authenticated ack downlink (firmware/Gateway.Core/Downlink)
    /// naming exactly the sequences it stored, queued for <see cref="PollDownlink"/>. The test can take the link
    /// down, drop acknowledgements (so the node must resend) and lose queued downlinks (a power cut).
    /// Per sequence it counts receipts and acknowledgements applied, against a fixed table (no generics, no boxing).
    /// </summary>
    public sealed class ScriptedTransport : IUplinkTransport
    {
        /// <summary>Highest sequence the tables hold.</summary>
        public const int MaxSequence = 4095;

        private readonly DownlinkCodec _cloud;
        private readonly IHmacSha256 _hmac;
        private readonly uint _deviceId;
        private readonly BatchHeaderReader _reader;
        private readonly byte[] _tag = new byte[32];
        private readonly DownlinkCommand _ack = new DownlinkCommand();
        private readonly byte[] _downlinkBuffer = new byte[DownlinkCodec.MaxBytes];
        private readonly ArrayList _queue = new ArrayList();
        private readonly ArrayList _queueRanges = new ArrayList();
        private uint _counter;
        private readonly byte[] _macInput = new byte[16 + 1024];
        private uint _nextSequence;
        private long _lastBaseTimeMs;

        /// <summary>Times each sequence reached the cloud in an authentic batch.</summary>
        public readonly byte[] Received = new byte[MaxSequence + 1];

        /// <summary>Acknowledgements of each sequence the node polled while its log still held it unacknowledged.</summary>
        public readonly byte[] Acknowledged = new byte[MaxSequence + 1];

        /// <summary>Creates the transport and its cloud for one device and key.</summary>
        public ScriptedTransport(uint deviceId, IHmacSha256 cloudKey, int maxBatchRecords)
        {
            _deviceId = deviceId;
            _hmac = cloudKey;
            _cloud = new DownlinkCodec(deviceId, cloudKey);
            _reader = new BatchHeaderReader(maxBatchRecords);
            LinkUp = true;
            MaxPayload = 242;
        }

        /// <summary>The log of the node running now (acknowledgements are checked against it when polled).</summary>
        public RecordLog Log;

        /// <summary>False during an outage: sends are refused as Unavailable.</summary>
        public bool LinkUp;

        /// <summary>Largest payload offered (242: LoRaWAN AS923 DR5).</summary>
        public int MaxPayload;

        /// <summary>Acknowledgements the cloud makes but never delivers, starting with the next one.</summary>
        public int DropNextAcks;

        /// <summary>When true, every send and poll measures the free heap (GC.Run(false)) into <see cref="LowestFreeHeap"/>.</summary>
        public bool ProbeHeap;

        /// <summary>The lowest free heap measured while <see cref="ProbeHeap"/> was on, bytes (long.MaxValue before any).</summary>
        public long LowestFreeHeap = long.MaxValue;

        /// <summary>Payloads handed over.</summary>
        public int Sends { get; private set; }

        /// <summary>Sends and bring-ups refused because the link was down.</summary>
        public int Refused { get; private set; }

        /// <summary>Payloads the cloud rejected (bad tag, another device, not a batch).</summary>
        public int Rejected { get; private set; }

        /// <summary>Readings received again after a first receipt (resends after a lost acknowledgement).</summary>
        public int Resent { get; private set; }

        /// <summary>Acknowledgements dropped on purpose.</summary>
        public int AcksDropped { get; private set; }

        /// <summary>Acknowledgement downlinks the node polled.</summary>
        public int AcksDelivered { get; private set; }

        /// <summary>Sequences acknowledged to a node whose log already held them acknowledged (must stay 0).</summary>
        public int AcknowledgedTwice { get; private set; }

        /// <summary>A sequence above <see cref="MaxSequence"/> was seen (the tables are too small for the run).</summary>
        public bool Overflow { get; private set; }

        /// <summary>Wall time (from the caller) at which each watched sequence first reached the cloud; 0 = not yet.</summary>
        public long FirstReceiptOf(uint sequence)
        {
            for (int i = 0; i < _watchCount; i++)
            {
                if (_watchSeq[i] == sequence)
                {
                    return _watchAt[i];
                }
            }

            return -1;
        }

        private readonly uint[] _watchSeq = new uint[32];
        private readonly long[] _watchAt = new long[32];
        private int _watchCount;

        /// <summary>The wall clock the cloud stamps receipts with.</summary>
        public Gateway.Core.Time.IClock Clock;

        /// <summary>Asks the cloud to note when <paramref name="sequence"/> first arrives (alarm latency).</summary>
        public void Watch(uint sequence)
        {
            if (_watchCount < _watchSeq.Length)
            {
                _watchSeq[_watchCount] = sequence;
                _watchAt[_watchCount] = 0;
                _watchCount++;
            }
        }

        /// <summary>A power cut: downlinks waiting in the radio are lost.</summary>
        public void LoseQueuedDownlinks()
        {
            _queue.Clear();
            _queueRanges.Clear();
        }

        /// <inheritdoc />
        public string Name
        {
            get { return "scripted"; }
        }

        /// <inheritdoc />
        public bool IsAvailable
        {
            get { return LinkUp; }
        }

        /// <inheritdoc />
        public int MaxPayloadNow
        {
            get { return LinkUp ? MaxPayload : 0; }
        }

        /// <inheritdoc />
        public bool EnsureReady()
        {
            if (!LinkUp)
            {
                Refused++;
            }

            return LinkUp;
        }

        /// <inheritdoc />
        public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
        {
            if (!LinkUp)
            {
                Refused++;
                return new UplinkResult(UplinkStatus.Unavailable, 0);
            }

            Sends++;
            Probe();
            Receive(data, offset, count);
            return new UplinkResult(UplinkStatus.Sent, 0);
        }

        /// <inheritdoc />
        public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
        {
            channel = 0;
            Probe();
            if (_queue.Count == 0)
            {
                return -1;
            }

            byte[] next = (byte[])_queue[0];
            uint[] ranges = (uint[])_queueRanges[0];
            _queue.RemoveAt(0);
            _queueRanges.RemoveAt(0);
            AcksDelivered++;
            for (int r = 0; r < ranges.Length; r += 2)
            {
                for (uint s = ranges[r]; s < ranges[r] + ranges[r + 1]; s++)
                {
                    if (Log != null && Log.IsAcknowledged(s))
                    {
                        AcknowledgedTwice++;
                    }
                    else if (s <= MaxSequence && Acknowledged[s] < 255)
                    {
                        Acknowledged[s]++;
                    }
                }
            }

            Array.Copy(next, 0, buffer, offset, next.Length);
            return next.Length;
        }

        /// <summary>Queues a downlink the cloud made by hand (time, history, reboot, a forgery).</summary>
        public void QueueDownlink(byte[] bytes, int count)
        {
            byte[] copy = new byte[count];
            Array.Copy(bytes, copy, count);
            _queue.Add(copy);
            _queueRanges.Add(new uint[0]);
        }

        /// <summary>Encodes a command with the cloud's key and next counter.</summary>
        public int EncodeCommand(DownlinkCommand command, byte[] output)
        {
            command.Counter = ++_counter;
            command.KeyId = _hmac.KeyId;
            return _cloud.Encode(command, output);
        }

        private void Probe()
        {
            if (ProbeHeap)
            {
                long free = DeviceFigures.HeapFree();
                if (free < LowestFreeHeap)
                {
                    LowestFreeHeap = free;
                }
            }
        }

        private void Receive(byte[] data, int offset, int count)
        {
            _reader.ExpectedDeviceId = _deviceId;
            _reader.NextSequence = _nextSequence;
            _reader.LastBaseTimeMs = _lastBaseTimeMs;
            if (!_reader.TryRead(data, offset, count) || _reader.DeviceId != _deviceId || _reader.KeyId != _hmac.KeyId
                || count - _reader.TagBytes + 16 > _macInput.Length)
            {
                Rejected++;
                return;
            }

            int tagBytes = _reader.TagBytes;
            if (_reader.Version == 1)
            {
                _hmac.Compute(data, offset, count - tagBytes, _tag, 0);
            }
            else
            {
                // Version 2: the tag covers the device id, first sequence and base time before the bytes (§9.3).
                uint first = _reader.FirstSequence;
                long time = _reader.BaseTimeMs;
                for (int i = 0; i < 4; i++)
                {
                    _macInput[i] = (byte)(_deviceId >> (8 * i));
                    _macInput[4 + i] = (byte)(first >> (8 * i));
                }

                for (int i = 0; i < 8; i++)
                {
                    _macInput[8 + i] = (byte)(time >> (8 * i));
                }

                Array.Copy(data, offset, _macInput, 16, count - tagBytes);
                _hmac.Compute(_macInput, 0, 16 + count - tagBytes, _tag, 0);
            }

            for (int i = 0; i < tagBytes; i++)
            {
                if (_tag[i] != data[offset + count - tagBytes + i])
                {
                    Rejected++;
                    return;
                }
            }

            uint last = _reader.Sequence(_reader.Count - 1);
            if (last + 1 > _nextSequence)
            {
                _nextSequence = last + 1;
                _lastBaseTimeMs = _reader.BaseTimeMs;
            }

            // Ranges of consecutive sequences, at most DownlinkCommand.MaxAckRanges per downlink.
            _ack.Clear();
            _ack.Kind = DownlinkKind.Ack;
            int n = _reader.Count;
            int start = 0;
            while (start < n)
            {
                int end = start;
                while (end + 1 < n && _reader.Sequence(end + 1) == _reader.Sequence(end) + 1)
                {
                    end++;
                }

                for (int j = start; j <= end; j++)
                {
                    Note(_reader.Sequence(j));
                }

                if (_ack.AckRangeCount == DownlinkCommand.MaxAckRanges)
                {
                    QueueAck();
                    _ack.Clear();
                    _ack.Kind = DownlinkKind.Ack;
                }

                _ack.AckFirst[_ack.AckRangeCount] = _reader.Sequence(start);
                _ack.AckCount[_ack.AckRangeCount] = (uint)(end - start + 1);
                _ack.AckRangeCount++;
                start = end + 1;
            }

            QueueAck();
        }

        private void Note(uint sequence)
        {
            if (sequence > MaxSequence)
            {
                Overflow = true;
                return;
            }

            if (Received[sequence] > 0)
            {
                Resent++;
            }

            if (Received[sequence] < 255)
            {
                Received[sequence]++;
            }

            for (int i = 0; i < _watchCount; i++)
            {
                if (_watchSeq[i] == sequence && _watchAt[i] == 0)
                {
                    _watchAt[i] = Clock == null ? 1 : Clock.WallTimeMs;
                }
            }
        }

        private void QueueAck()
        {
            if (_ack.AckRangeCount == 0)
            {
                return;
            }

            if (DropNextAcks > 0)
            {
                DropNextAcks--;
                AcksDropped++;
                return;
            }

            int length = EncodeCommand(_ack, _downlinkBuffer);
            byte[] bytes = new byte[length];
            Array.Copy(_downlinkBuffer, bytes, length);
            uint[] ranges = new uint[2 * _ack.AckRangeCount];
            for (int i = 0; i < _ack.AckRangeCount; i++)
            {
                ranges[2 * i] = _ack.AckFirst[i];
                ranges[2 * i + 1] = _ack.AckCount[i];
            }

            _queue.Add(bytes);
            _queueRanges.Add(ranges);
        }
    }
}
