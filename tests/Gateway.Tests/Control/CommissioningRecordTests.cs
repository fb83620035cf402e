using System;
using System.Security.Cryptography;
using Gateway.Core.Codec;
using Gateway.Control.Commissioning;
using Gateway.Control.Technician;
using Gateway.Core.Downlink;
using Gateway.Core.Sensing;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Control
{
    public class CommissioningRecordTests
    {
        private static readonly byte[] Key = Convert.FromHexString("3f9a0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f40516273849506172ae1");

        private static CommissioningRecord Sample(int sensors = 3)
        {
            var r = new CommissioningRecord
            {
                DeviceId = 4711, TimeMs = 1_780_272_000_300, ClockQuality = ClockQuality.Network, FirmwareVersion = 1u << 24, ConfigGeneration = 2,
                LinkTransport = CommissioningRecord.LinkLora, SignalA = -112, SignalBTenths = 65, RoundTripMs = 2300, TimeSync = CommissioningRecord.TimeSyncOk,
                TimeCorrectionMs = -1500, TapeReferenceMm = 812,
                Flags = CommissioningRecord.FlagSelfTestPassed | CommissioningRecord.FlagLinkOk | CommissioningRecord.FlagStorageOk | CommissioningRecord.FlagTapeReference,
            };
            for (var i = 0; i < sensors; i++)
            {
                r.AddSensor((ChannelId)(2 + i), 800 - (i * 1000), ReadingStatus.Maintenance);
            }

            return r;
        }

        private static byte[] Encode(CommissioningRecord r, byte keyId = 1, byte[]? key = null)
        {
            var buffer = new byte[CommissioningRecord.MaxBytes];
            var n = r.Encode(new HostHmacSha256(keyId, key ?? Key), buffer, 0);
            return buffer.AsSpan(0, n).ToArray();
        }

        [Fact]
        public void Encoded_record_decodes_to_the_same_fields_and_its_tag_verifies()
        {
            var bytes = Encode(Sample());
            Assert.Equal(CommissioningRecord.HeaderBytes + (3 * CommissioningRecord.SensorBytes) + CommissioningRecord.TagLength, bytes.Length);
            var back = new CommissioningRecord();
            Assert.Equal("", CommissioningRecord.TryDecode(bytes, 0, bytes.Length, back));
            Assert.Equal(4711u, back.DeviceId);
            Assert.Equal(1, back.KeyId);
            Assert.Equal(1_780_272_000_300, back.TimeMs);
            Assert.Equal(-112, back.SignalA);
            Assert.Equal(65, back.SignalBTenths);
            Assert.Equal(-1500, back.TimeCorrectionMs);
            Assert.Equal(812, back.TapeReferenceMm);
            Assert.Equal(3, back.SensorCount);
            Assert.Equal(-1200, back.Values[2]);
            Assert.Equal(ReadingStatus.Maintenance, back.Statuses[1]);
            Assert.True(CommissioningRecord.VerifyTag(new HostHmacSha256(1, Key), bytes, 0, bytes.Length));
        }

        [Fact]
        public void The_worked_example_in_the_readme_is_what_the_encoder_writes()
        {
            // firmware/Gateway.Control/Commissioning/README.md, "Worked example" (key = bytes 00..1f).
            const string Readme = "011f67120000012ced7a809e010000020000000102000000d9787ab77941e475029fff55002c0101000000002c03000003022c030000000207bf2900000002083b0f000000028ae28bc7c8a215e7";
            var key = new byte[32];
            for (var i = 0; i < 32; i++)
            {
                key[i] = (byte)i;
            }

            var r = new CommissioningRecord
            {
                DeviceId = 4711, TimeMs = 1_780_272_000_300, ClockQuality = ClockQuality.Network, FirmwareVersion = 1u << 24, ConfigGeneration = 2,
                LinkTransport = CommissioningRecord.LinkCellular, SignalA = -97, SignalBTenths = 85, RoundTripMs = 300, TimeSync = CommissioningRecord.TimeSyncOk,
                TapeReferenceMm = 812, Flags = 0x1F,
            };
            Convert.FromHexString("d9787ab77941e475").CopyTo(r.ConfigDigest, 0);
            r.AddSensor(ChannelId.WaterLevelMillimeters, 812, ReadingStatus.Maintenance);
            r.AddSensor(ChannelId.TemperatureMillicelsius, 10687, ReadingStatus.Maintenance);
            r.AddSensor(ChannelId.BatteryMillivolts, 3899, ReadingStatus.Maintenance);
            Assert.Equal(Readme, Convert.ToHexStringLower(Encode(r, 1, key)));
        }

        [Fact]
        public void Every_single_bit_flip_is_detected()
        {
            var bytes = Encode(Sample());
            var hmac = new HostHmacSha256(1, Key);
            for (var bit = 0; bit < bytes.Length * 8; bit++)
            {
                var copy = (byte[])bytes.Clone();
                copy[bit / 8] ^= (byte)(1 << (bit % 8));
                var ok = CommissioningRecord.TryDecode(copy, 0, copy.Length, new CommissioningRecord()) == "" && CommissioningRecord.VerifyTag(hmac, copy, 0, copy.Length);
                Assert.False(ok, $"bit {bit} flipped still verifies");
            }
        }

        [Fact]
        public void Another_key_does_not_verify_the_record()
        {
            var bytes = Encode(Sample());
            var other = RandomNumberGenerator.GetBytes(32);
            Assert.False(CommissioningRecord.VerifyTag(new HostHmacSha256(1, other), bytes, 0, bytes.Length));
        }

        [Fact]
        public void The_tag_is_in_its_own_domain_not_the_plain_hmac_nor_the_downlink_domain()
        {
            var bytes = Encode(Sample());
            var body = bytes.AsSpan(0, bytes.Length - 8).ToArray();
            var tag = bytes.AsSpan(bytes.Length - 8).ToArray();
            Assert.NotEqual(HMACSHA256.HashData(Key, body).AsSpan(0, 8).ToArray(), tag);
            var downlinkDomain = new byte[body.Length + 4];
            "GWDN"u8.CopyTo(downlinkDomain);
            body.CopyTo(downlinkDomain, 4);
            Assert.NotEqual(HMACSHA256.HashData(Key, downlinkDomain).AsSpan(0, 8).ToArray(), tag);
            var own = new byte[body.Length + 4];
            "GWCM"u8.CopyTo(own);
            body.CopyTo(own, 4);
            Assert.Equal(HMACSHA256.HashData(Key, own).AsSpan(0, 8).ToArray(), tag);
        }

        [Fact]
        public void A_record_is_not_a_downlink_the_device_accepts()
        {
            var bytes = Encode(Sample(0));
            var codec = new DownlinkCodec(4711, new HostHmacSha256(1, Key));
            Assert.NotEqual(DownlinkRefusal.None, codec.TryDecode(bytes, 0, bytes.Length, new DownlinkCommand()));
        }

        [Fact]
        public void The_longest_record_fits_the_dr2_fragmentation_and_not_one_dr2_frame()
        {
            Assert.True(CommissioningRecord.MaxBytes > As923.MaxApplicationPayload(2, true));
            Assert.True(BatchFragmenter.FragmentCount(CommissioningRecord.MaxBytes) <= BatchFragmenter.MaxFragments);
            Assert.True(CommissioningRecord.MaxBytes <= As923.MaxApplicationPayload(4, true), "whole record on FPort 5 from DR4");
        }

        [Fact]
        public void Malformed_records_are_refused_with_a_reason()
        {
            var bytes = Encode(Sample());
            Assert.Contains("too short", CommissioningRecord.TryDecode(bytes, 0, 20, new CommissioningRecord()));
            var wrongVersion = (byte[])bytes.Clone();
            wrongVersion[0] = 9;
            Assert.Contains("version", CommissioningRecord.TryDecode(wrongVersion, 0, wrongVersion.Length, new CommissioningRecord()));
            Assert.Contains("does not match", CommissioningRecord.TryDecode(bytes, 0, bytes.Length - 1, new CommissioningRecord()));
        }

        [Fact]
        public void Test_mode_sources_flag_every_reading_and_serve_injected_values()
        {
            var inner = new ConstantSource(ChannelId.WaterLevelMillimeters, 1234);
            var wrapped = new TestModeSources(new ISensorSource[] { inner });
            var r = new Reading();
            Assert.True(wrapped.Sources[0].TrySample(ref r));
            Assert.Equal((1234, ReadingStatus.Ok), (r.Value, r.Status));
            Assert.False(wrapped.Inject(ChannelId.WaterLevelMillimeters, 5, out var error));
            Assert.Equal("not in test mode", error);

            wrapped.SetTestMode(true);
            r = new Reading();
            wrapped.Sources[0].TrySample(ref r);
            Assert.Equal((1234, ReadingStatus.Maintenance), (r.Value, r.Status));
            Assert.False(wrapped.HasInjected(ChannelId.WaterLevelMillimeters));
            Assert.True(wrapped.Inject(ChannelId.WaterLevelMillimeters, 3000, out _));
            Assert.True(wrapped.HasInjected(ChannelId.WaterLevelMillimeters));
            Assert.False(wrapped.Inject(ChannelId.BatteryMillivolts, 3000, out error));
            Assert.Contains("no sensor", error);
            r = new Reading();
            wrapped.Sources[0].TrySample(ref r);
            Assert.Equal((3000, ReadingStatus.Maintenance), (r.Value, r.Status));

            wrapped.SetTestMode(false);
            Assert.False(wrapped.HasInjected(ChannelId.WaterLevelMillimeters));
            r = new Reading();
            wrapped.Sources[0].TrySample(ref r);
            Assert.Equal((1234, ReadingStatus.Ok), (r.Value, r.Status));
        }

        [Fact]
        public void Test_mode_sampling_allocates_nothing()
        {
            var wrapped = new TestModeSources(new ISensorSource[] { new ConstantSource(ChannelId.WaterLevelMillimeters, 1) });
            wrapped.SetTestMode(true);
            wrapped.Inject(ChannelId.WaterLevelMillimeters, 7, out _);
            var r = new Reading();
            wrapped.Sources[0].TrySample(ref r);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                wrapped.Sources[0].TrySample(ref r);
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }

        [Fact]
        public void Test_clock_moves_only_forward_by_the_offset()
        {
            var inner = new Gateway.Virtual.Time.VirtualClock(1_000_000);
            var clock = new TestClock(inner, null!);
            clock.Advance(600_000);
            clock.Advance(-5);
            Assert.Equal(1_600_000, clock.WallTimeMs);
            Assert.Equal(inner.UptimeMs + 600_000, clock.UptimeMs);
        }

        private sealed class ConstantSource(ChannelId channel, int value) : ISensorSource
        {
            public ChannelId Channel => channel;

            public bool TrySample(ref Reading reading)
            {
                reading.Channel = channel;
                reading.Value = value;
                return true;
            }
        }
    }
}
