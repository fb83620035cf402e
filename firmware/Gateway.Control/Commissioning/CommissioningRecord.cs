using System;
using Gateway.Core.Codec;
using Gateway.Core.Security;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Core.Time;

namespace Gateway.Control.Commissioning
{
    /// <summary>
    /// The signed record of one on-site commissioning (format in Commissioning/README.md): who, when, which firmware
    /// and configuration, what every fitted sensor read, how the link, the time sync and the storage check went, the
    /// self-test verdict and the technician's tape reference. Tagged with HMAC-SHA256 over the device key in its own
    /// domain ("GWCM"), so it can never pass as an uplink batch or a downlink. The same class encodes (gateway) and
    /// decodes (cloud, tests).
    /// </summary>
    public sealed class CommissioningRecord
    {
        /// <summary>The format version this code writes and reads.</summary>
        public const byte FormatVersion = 1;

        /// <summary>Most sensor entries a record carries.</summary>
        public const int MaxSensors = 8;

        /// <summary>Bytes before the sensor entries.</summary>
        public const int HeaderBytes = 49;

        /// <summary>Bytes of one sensor entry (channel u8, value i32, status u16).</summary>
        public const int SensorBytes = 7;

        /// <summary>Tag length: the first 8 bytes of the HMAC (as the downlink's).</summary>
        public const int TagLength = 8;

        /// <summary>Longest record.</summary>
        public const int MaxBytes = HeaderBytes + (MaxSensors * SensorBytes) + TagLength;

        /// <summary>Shortest record (no sensor).</summary>
        public const int MinBytes = HeaderBytes + TagLength;

        /// <summary>LoRaWAN FPort of a whole record (data rates whose payload holds it: AS923 DR4 and up under the dwell limit).</summary>
        public const byte LoRaPort = 5;

        /// <summary>LoRaWAN FPort of record fragments (Codec/BatchFragmenter frames, 11 bytes, for DR2/DR3).</summary>
        public const byte LoRaFragmentPort = 6;

        /// <summary>Flag: the self-test passed.</summary>
        public const byte FlagSelfTestPassed = 0x01;

        /// <summary>Flag: the link test reached the cloud and an acknowledgement came back.</summary>
        public const byte FlagLinkOk = 0x02;

        /// <summary>Flag: the time sync succeeded.</summary>
        public const byte FlagTimeSyncOk = 0x04;

        /// <summary>Flag: the storage write/read check passed.</summary>
        public const byte FlagStorageOk = 0x08;

        /// <summary>Flag: a tape reference is present.</summary>
        public const byte FlagTapeReference = 0x10;

        /// <summary>Flag: the gateway was in test mode (sensor values injected): not a field commissioning.</summary>
        public const byte FlagTestMode = 0x20;

        /// <summary>Link transport: none.</summary>
        public const byte LinkNone = 0;

        /// <summary>Link transport: LoRaWAN (signal A = RSSI dBm, signal B = SNR margin over the data rate's floor, 0.1 dB).</summary>
        public const byte LinkLora = 1;

        /// <summary>Link transport: cellular (signal A = RSRP dBm, signal B = SINR, 0.1 dB).</summary>
        public const byte LinkCellular = 2;

        /// <summary>Link transport: Wi-Fi (signal A = RSSI dBm, signal B = 0).</summary>
        public const byte LinkWifi = 3;

        /// <summary>Round trip value meaning "no acknowledgement came back".</summary>
        public const int NoRoundTrip = 0xFFFF;

        /// <summary>Time sync: not attempted.</summary>
        public const byte TimeSyncNotTried = 0;

        /// <summary>Time sync: succeeded.</summary>
        public const byte TimeSyncOk = 1;

        /// <summary>Time sync: attempted and failed.</summary>
        public const byte TimeSyncFailed = 2;

        private static readonly byte[] Domain = { (byte)'G', (byte)'W', (byte)'C', (byte)'M' };
        private static readonly byte[] ConfigDomain = { (byte)'G', (byte)'W', (byte)'C', (byte)'F' };

        /// <summary>Format version (as read; <see cref="FormatVersion"/> when written).</summary>
        public byte Version = FormatVersion;

        /// <summary>Flags (<c>Flag*</c> constants).</summary>
        public byte Flags;

        /// <summary>The gateway's device id.</summary>
        public uint DeviceId;

        /// <summary>Id of the device key the tag is made with.</summary>
        public byte KeyId;

        /// <summary>When the record was made, Unix ms UTC (the device clock).</summary>
        public long TimeMs;

        /// <summary>Where the device clock's time came from.</summary>
        public ClockQuality ClockQuality;

        /// <summary>Firmware version: major &lt;&lt; 24 | minor &lt;&lt; 16 | build.</summary>
        public uint FirmwareVersion;

        /// <summary>Generation of the configuration in force.</summary>
        public uint ConfigGeneration;

        /// <summary>Digest of the configuration in force: first 8 bytes of HMAC-SHA256(key, "GWCF" ‖ canonical JSON).</summary>
        public readonly byte[] ConfigDigest = new byte[8];

        /// <summary>Link transport (<c>Link*</c> constants).</summary>
        public byte LinkTransport;

        /// <summary>Signal A, dBm (LoRa RSSI, LTE RSRP, Wi-Fi RSSI).</summary>
        public int SignalA;

        /// <summary>Signal B, 0.1 dB (LoRa SNR margin over the demodulation floor, LTE SINR).</summary>
        public int SignalBTenths;

        /// <summary>Round trip from send to the cloud's acknowledgement, ms (<see cref="NoRoundTrip"/> when none).</summary>
        public int RoundTripMs = NoRoundTrip;

        /// <summary>Time sync result (<c>TimeSync*</c> constants).</summary>
        public byte TimeSync;

        /// <summary>Correction the time sync applied, ms (new − old).</summary>
        public int TimeCorrectionMs;

        /// <summary>Tape-measured reference level, mm (meaningful with <see cref="FlagTapeReference"/>).</summary>
        public int TapeReferenceMm;

        /// <summary>Sensor entries in use.</summary>
        public int SensorCount;

        /// <summary>Sensor channels.</summary>
        public readonly ChannelId[] Channels = new ChannelId[MaxSensors];

        /// <summary>Sensor values in the channel's fixed-point unit.</summary>
        public readonly int[] Values = new int[MaxSensors];

        /// <summary>Sensor quality flags.</summary>
        public readonly ReadingStatus[] Statuses = new ReadingStatus[MaxSensors];

        /// <summary>The tag as read or written.</summary>
        public readonly byte[] Tag = new byte[TagLength];

        /// <summary>True when every flag of <paramref name="flag"/> is set.</summary>
        public bool Has(byte flag)
        {
            return (Flags & flag) == flag;
        }

        /// <summary>Adds a sensor entry; false when full.</summary>
        public bool AddSensor(ChannelId channel, int value, ReadingStatus status)
        {
            if (SensorCount >= MaxSensors)
            {
                return false;
            }

            Channels[SensorCount] = channel;
            Values[SensorCount] = value;
            Statuses[SensorCount] = status;
            SensorCount++;
            return true;
        }

        /// <summary>The encoded length of this record.</summary>
        public int Length
        {
            get { return HeaderBytes + (SensorCount * SensorBytes) + TagLength; }
        }

        /// <summary>
        /// Encodes and signs the record into <paramref name="output"/> from <paramref name="offset"/> with
        /// <paramref name="hmac"/> (its key id is written); returns the length.
        /// </summary>
        public int Encode(IHmacSha256 hmac, byte[] output, int offset)
        {
            if (hmac == null || output == null)
            {
                throw new ArgumentNullException(hmac == null ? "hmac" : "output");
            }

            if (SensorCount < 0 || SensorCount > MaxSensors)
            {
                throw new ArgumentOutOfRangeException("SensorCount");
            }

            int length = Length;
            if (offset < 0 || offset + length > output.Length)
            {
                throw new ArgumentOutOfRangeException("offset");
            }

            KeyId = hmac.KeyId;
            Version = FormatVersion;
            output[offset] = FormatVersion;
            output[offset + 1] = Flags;
            LittleEndian.WriteUInt32(output, offset + 2, DeviceId);
            output[offset + 6] = KeyId;
            LittleEndian.WriteInt64(output, offset + 7, TimeMs);
            output[offset + 15] = (byte)ClockQuality;
            LittleEndian.WriteUInt32(output, offset + 16, FirmwareVersion);
            LittleEndian.WriteUInt32(output, offset + 20, ConfigGeneration);
            Array.Copy(ConfigDigest, 0, output, offset + 24, 8);
            output[offset + 32] = LinkTransport;
            LittleEndian.WriteUInt16(output, offset + 33, Clamp16(SignalA));
            LittleEndian.WriteUInt16(output, offset + 35, Clamp16(SignalBTenths));
            LittleEndian.WriteUInt16(output, offset + 37, RoundTripMs < 0 || RoundTripMs > NoRoundTrip ? NoRoundTrip : RoundTripMs);
            output[offset + 39] = TimeSync;
            LittleEndian.WriteUInt32(output, offset + 40, (uint)TimeCorrectionMs);
            LittleEndian.WriteUInt32(output, offset + 44, (uint)TapeReferenceMm);
            output[offset + 48] = (byte)SensorCount;
            int p = offset + HeaderBytes;
            for (int i = 0; i < SensorCount; i++)
            {
                output[p] = (byte)Channels[i];
                LittleEndian.WriteUInt32(output, p + 1, (uint)Values[i]);
                LittleEndian.WriteUInt16(output, p + 5, (int)Statuses[i]);
                p += SensorBytes;
            }

            ComputeTag(hmac, output, offset, p - offset, Tag, 0);
            Array.Copy(Tag, 0, output, p, TagLength);
            return length;
        }

        /// <summary>
        /// Reads a record's fields (the tag is NOT checked: use <see cref="VerifyTag"/> with the claimed device's key).
        /// </summary>
        /// <returns>"" when well formed, else the reason.</returns>
        public static string TryDecode(byte[] data, int offset, int count, CommissioningRecord into)
        {
            if (data == null || into == null || offset < 0 || count < 0 || offset + count > data.Length)
            {
                return "no data";
            }

            if (count < MinBytes)
            {
                return "too short (" + count.ToString() + " bytes, at least " + MinBytes.ToString() + ")";
            }

            if (data[offset] != FormatVersion)
            {
                return "unknown format version " + data[offset].ToString();
            }

            int sensors = data[offset + 48];
            if (sensors > MaxSensors)
            {
                return "sensor count " + sensors.ToString() + " above " + MaxSensors.ToString();
            }

            if (count != HeaderBytes + (sensors * SensorBytes) + TagLength)
            {
                return "length " + count.ToString() + " does not match " + sensors.ToString() + " sensors";
            }

            into.Version = data[offset];
            into.Flags = data[offset + 1];
            into.DeviceId = LittleEndian.ReadUInt32(data, offset + 2);
            into.KeyId = data[offset + 6];
            into.TimeMs = LittleEndian.ReadInt64(data, offset + 7);
            into.ClockQuality = (ClockQuality)data[offset + 15];
            into.FirmwareVersion = LittleEndian.ReadUInt32(data, offset + 16);
            into.ConfigGeneration = LittleEndian.ReadUInt32(data, offset + 20);
            Array.Copy(data, offset + 24, into.ConfigDigest, 0, 8);
            into.LinkTransport = data[offset + 32];
            into.SignalA = (short)LittleEndian.ReadUInt16(data, offset + 33);
            into.SignalBTenths = (short)LittleEndian.ReadUInt16(data, offset + 35);
            into.RoundTripMs = LittleEndian.ReadUInt16(data, offset + 37);
            into.TimeSync = data[offset + 39];
            into.TimeCorrectionMs = (int)LittleEndian.ReadUInt32(data, offset + 40);
            into.TapeReferenceMm = (int)LittleEndian.ReadUInt32(data, offset + 44);
            into.SensorCount = sensors;
            int p = offset + HeaderBytes;
            for (int i = 0; i < sensors; i++)
            {
                into.Channels[i] = (ChannelId)data[p];
                into.Values[i] = (int)LittleEndian.ReadUInt32(data, p + 1);
                into.Statuses[i] = (ReadingStatus)LittleEndian.ReadUInt16(data, p + 5);
                p += SensorBytes;
            }

            Array.Copy(data, p, into.Tag, 0, TagLength);
            return "";
        }

        /// <summary>True when the record's last 8 bytes are the tag of the bytes before, under <paramref name="hmac"/>'s key (constant time).</summary>
        public static bool VerifyTag(IHmacSha256 hmac, byte[] data, int offset, int count)
        {
            if (hmac == null || data == null || count < MinBytes || offset < 0 || offset + count > data.Length)
            {
                return false;
            }

            byte[] tag = new byte[32];
            ComputeTag(hmac, data, offset, count - TagLength, tag, 0);
            int diff = 0;
            for (int i = 0; i < TagLength; i++)
            {
                diff |= tag[i] ^ data[offset + count - TagLength + i];
            }

            return diff == 0;
        }

        /// <summary>The configuration digest: the first 8 bytes of HMAC-SHA256(key, "GWCF" ‖ <paramref name="canonicalJson"/>'s bytes).</summary>
        public static void DigestConfig(IHmacSha256 hmac, byte[] canonicalJson, byte[] digest, int digestOffset)
        {
            int n = canonicalJson == null ? 0 : canonicalJson.Length;
            byte[] scratch = new byte[4 + n];
            Array.Copy(ConfigDomain, 0, scratch, 0, 4);
            if (n > 0)
            {
                Array.Copy(canonicalJson, 0, scratch, 4, n);
            }

            byte[] tag = new byte[32];
            hmac.Compute(scratch, 0, scratch.Length, tag, 0);
            Array.Copy(tag, 0, digest, digestOffset, 8);
        }

        /// <summary>Name of a link transport byte.</summary>
        public static string LinkName(byte transport)
        {
            switch (transport)
            {
                case LinkLora: return "lorawan";
                case LinkCellular: return "cellular";
                case LinkWifi: return "wifi";
                default: return "none";
            }
        }

        /// <summary>The record as human lines (the console prints them under the hex).</summary>
        public string[] Describe()
        {
            string[] lines = new string[8 + SensorCount];
            lines[0] = "record: v" + Version.ToString() + ", device " + DeviceId.ToString() + ", key id " + KeyId.ToString() + ", time " + TimeMs.ToString()
                + " ms (clock quality " + ((int)ClockQuality).ToString() + ")";
            lines[1] = "firmware: " + ((FirmwareVersion >> 24) & 0xFF).ToString() + "." + ((FirmwareVersion >> 16) & 0xFF).ToString() + "." + (FirmwareVersion & 0xFFFF).ToString()
                + ", config generation " + ConfigGeneration.ToString() + ", digest " + HexText.ToHex(ConfigDigest);
            string signal = LinkTransport == LinkLora ? "RSSI " + SignalA.ToString() + " dBm, SNR margin " + Tenths(SignalBTenths) + " dB"
                : LinkTransport == LinkCellular ? "RSRP " + SignalA.ToString() + " dBm, SINR " + Tenths(SignalBTenths) + " dB"
                : LinkTransport == LinkWifi ? "RSSI " + SignalA.ToString() + " dBm" : "-";
            lines[2] = "link: " + LinkName(LinkTransport) + ", " + signal + ", round trip " + (RoundTripMs == NoRoundTrip ? "none" : RoundTripMs.ToString() + " ms")
                + (Has(FlagLinkOk) ? ", OK" : ", FAILED");
            lines[3] = "time sync: " + (TimeSync == TimeSyncOk ? "ok, correction " + TimeCorrectionMs.ToString() + " ms" : TimeSync == TimeSyncFailed ? "FAILED" : "not tried");
            lines[4] = "storage write/read: " + (Has(FlagStorageOk) ? "ok" : "FAILED");
            lines[5] = "self-test: " + (Has(FlagSelfTestPassed) ? "passed" : "FAILED");
            lines[6] = "tape reference: " + (Has(FlagTapeReference) ? TapeReferenceMm.ToString() + " mm" : "(none)");
            lines[7] = "mode: " + (Has(FlagTestMode) ? "TEST (injected values)" : "field");
            for (int i = 0; i < SensorCount; i++)
            {
                lines[8 + i] = "sensor: channel " + ((int)Channels[i]).ToString() + " value " + Values[i].ToString() + " status 0x" + ((int)Statuses[i]).ToString("X4");
            }

            return lines;
        }

        private static string Tenths(int tenths)
        {
            int a = tenths < 0 ? -tenths : tenths;
            return (tenths < 0 ? "-" : "") + (a / 10).ToString() + "." + (a % 10).ToString();
        }

        private static int Clamp16(int v)
        {
            if (v < short.MinValue)
            {
                v = short.MinValue;
            }

            if (v > short.MaxValue)
            {
                v = short.MaxValue;
            }

            return v & 0xFFFF;
        }

        private static void ComputeTag(IHmacSha256 hmac, byte[] data, int offset, int count, byte[] tag, int tagOffset)
        {
            byte[] scratch = new byte[4 + count];
            Array.Copy(Domain, 0, scratch, 0, 4);
            Array.Copy(data, offset, scratch, 4, count);
            byte[] full = new byte[32];
            hmac.Compute(scratch, 0, scratch.Length, full, 0);
            Array.Copy(full, 0, tag, tagOffset, tag.Length - tagOffset < 32 ? tag.Length - tagOffset : 32);
        }
    }
}
