using System;
using System.Linq;
using Gateway.Core.Downlink;
using Gateway.Virtual.Security;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Downlink
{
    public class DownlinkCodecTests
    {
        private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        private readonly ITestOutputHelper _out;

        public DownlinkCodecTests(ITestOutputHelper output) => _out = output;

        private static DownlinkCodec Codec(uint device = 7, byte keyId = 1, byte[]? key = null) =>
            new(device, new HostHmacSha256(keyId, key ?? Key));

        private static byte[] Encode(DownlinkCodec codec, Action<DownlinkCommand> fill)
        {
            var c = new DownlinkCommand();
            fill(c);
            var buf = new byte[DownlinkCodec.MaxBytes];
            var n = codec.Encode(c, buf);
            return buf.AsSpan(0, n).ToArray();
        }

        private static byte[] Ack(DownlinkCodec codec, uint counter, uint first = 1000, uint count = 100) => Encode(codec, c =>
        {
            c.Kind = DownlinkKind.Ack;
            c.Counter = counter;
            c.AckRangeCount = 1;
            c.AckFirst[0] = first;
            c.AckCount[0] = count;
        });

        [Fact]
        public void The_worked_example_has_the_documented_bytes()
        {
            var bytes = Ack(Codec(), 5);
            _out.WriteLine("worked example: " + Convert.ToHexString(bytes).ToLowerInvariant());
            Assert.Equal("11010705" + "01e80764", Convert.ToHexString(bytes, 0, 8).ToLowerInvariant());
            Assert.Equal(16, bytes.Length);
            var expectedTag = System.Security.Cryptography.HMACSHA256.HashData(Key, new byte[] { (byte)'G', (byte)'W', (byte)'D', (byte)'N', 0x11, 0x01, 0x07, 0x05, 0x01, 0xe8, 0x07, 0x64 });
            Assert.Equal(expectedTag.AsSpan(0, 8).ToArray(), bytes.AsSpan(8).ToArray());
            Assert.Equal("1101070501e8076465752325ed12ec2d", Convert.ToHexString(bytes).ToLowerInvariant());
        }

        [Fact]
        public void Every_kind_survives_a_round_trip()
        {
            var cloud = Codec();
            var gateway = Codec();
            var got = new DownlinkCommand();
            uint counter = 0;

            var ack = Encode(cloud, c => { c.Kind = DownlinkKind.Ack; c.Counter = ++counter; c.AckRangeCount = 2; c.AckFirst[0] = 1; c.AckCount[0] = 5; c.AckFirst[1] = uint.MaxValue; c.AckCount[1] = 1; });
            Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(ack, 0, ack.Length, got));
            Assert.Equal(2, got.AckRangeCount);
            Assert.Equal(uint.MaxValue, got.AckFirst[1]);

            var time = Encode(cloud, c => { c.Kind = DownlinkKind.Time; c.Counter = ++counter; c.TimeMs = 1_790_000_000_123; });
            Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(time, 0, time.Length, got));
            Assert.Equal(1_790_000_000_123, got.TimeMs);

            var json = System.Text.Encoding.UTF8.GetBytes("{\"cadence\":{\"base_s\":600}}");
            var config = Encode(cloud, c => { c.Kind = DownlinkKind.Config; c.Counter = ++counter; json.CopyTo(c.ConfigBytes, 0); c.ConfigLength = json.Length; });
            Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(config, 0, config.Length, got));
            Assert.Equal(json, got.ConfigBytes.AsSpan(0, got.ConfigLength).ToArray());

            var history = Encode(cloud, c => { c.Kind = DownlinkKind.History; c.Counter = ++counter; c.TimeMs = 10; c.ToTimeMs = 20; });
            Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(history, 0, history.Length, got));
            Assert.Equal((10L, 20L), (got.TimeMs, got.ToTimeMs));

            var cadence = Encode(cloud, c => { c.Kind = DownlinkKind.Cadence; c.Counter = ++counter; c.Seconds = 120; c.DurationSeconds = 86400; });
            Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(cadence, 0, cadence.Length, got));
            Assert.Equal((120u, 86400u), (got.Seconds, got.DurationSeconds));

            var reboot = Encode(cloud, c => { c.Kind = DownlinkKind.Reboot; c.Counter = ++counter; c.Seconds = 5; });
            Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(reboot, 0, reboot.Length, got));
            Assert.Equal(DownlinkKind.Reboot, got.Kind);
            Assert.Equal(counter, gateway.LastCounter);
        }

        [Fact]
        public void A_replayed_downlink_is_refused_even_after_a_reboot_that_restored_the_counter()
        {
            var cloud = Codec();
            var first = Ack(cloud, 10);
            var gateway = Codec();
            var got = new DownlinkCommand();
            Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(first, 0, first.Length, got));
            Assert.Equal(DownlinkRefusal.Replay, gateway.TryDecode(first, 0, first.Length, got));

            var rebooted = Codec();
            rebooted.LastCounter = gateway.LastCounter;
            Assert.Equal(DownlinkRefusal.Replay, rebooted.TryDecode(first, 0, first.Length, got));
            Assert.Equal(DownlinkKind.None, got.Kind);
        }

        [Fact]
        public void Another_gateways_downlink_and_another_key_are_refused()
        {
            var forOther = Ack(Codec(device: 8), 1);
            var otherKey = Ack(Codec(key: Enumerable.Repeat((byte)9, 32).ToArray()), 1);
            var otherKeyId = Ack(Codec(keyId: 2), 1);
            var gateway = Codec();
            var got = new DownlinkCommand();
            Assert.Equal(DownlinkRefusal.WrongDevice, gateway.TryDecode(forOther, 0, forOther.Length, got));
            Assert.Equal(DownlinkRefusal.BadTag, gateway.TryDecode(otherKey, 0, otherKey.Length, got));
            Assert.Equal(DownlinkRefusal.UnknownKey, gateway.TryDecode(otherKeyId, 0, otherKeyId.Length, got));
        }

        [Fact]
        public void Every_single_bit_flip_of_a_valid_downlink_is_refused()
        {
            var valid = Ack(Codec(), 3);
            var got = new DownlinkCommand();
            for (var bit = 0; bit < valid.Length * 8; bit++)
            {
                var gateway = Codec();
                var mutated = (byte[])valid.Clone();
                mutated[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.NotEqual(DownlinkRefusal.None, gateway.TryDecode(mutated, 0, mutated.Length, got));
            }
        }

        [Fact]
        public void A_hundred_thousand_malformed_downlinks_are_refused_with_a_counted_reason_and_never_crash()
        {
            var rng = new Random(1121);
            var cloud = Codec();
            var gateway = Codec();
            var got = new DownlinkCommand();
            var valid = Enumerable.Range(1, 50).Select(i => Ack(cloud, (uint)i, (uint)rng.Next(), 1 + (uint)rng.Next(1000))).ToArray();
            foreach (var v in valid)
            {
                Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(v, 0, v.Length, got));
            }

            var baseline = gateway.Refused;
            const int N = 100_000;
            var accepted = 0;
            for (var i = 0; i < N; i++)
            {
                byte[] input;
                if ((i & 1) == 0)
                {
                    input = new byte[rng.Next(0, 64)];
                    rng.NextBytes(input);
                    if (input.Length > 0 && rng.Next(2) == 0)
                    {
                        input[0] = (byte)(0x10 | rng.Next(16));
                    }
                }
                else
                {
                    input = (byte[])valid[rng.Next(valid.Length)].Clone();
                    var edits = 1 + rng.Next(4);
                    for (var e = 0; e < edits && input.Length > 0; e++)
                    {
                        switch (rng.Next(3))
                        {
                            case 0: input[rng.Next(input.Length)] ^= (byte)(1 << rng.Next(8)); break;
                            case 1: input = input.AsSpan(0, rng.Next(input.Length)).ToArray(); break;
                            default: input = input.Concat(new[] { (byte)rng.Next(256) }).ToArray(); break;
                        }
                    }
                }

                var offset = rng.Next(3);
                var framed = new byte[input.Length + offset + 2];
                input.CopyTo(framed, offset);
                if (gateway.TryDecode(framed, offset, input.Length, got) == DownlinkRefusal.None)
                {
                    accepted++;
                }
            }

            var reasons = Enum.GetValues<DownlinkRefusal>().Where(r => r != DownlinkRefusal.None)
                .Select(r => $"{r}={gateway.RefusedFor(r)}");
            _out.WriteLine($"downlink fuzz: inputs={N} accepted={accepted} refused={gateway.Refused} " + string.Join(' ', reasons));
            Assert.Equal(N, accepted + gateway.Refused - baseline);
            Assert.Equal(0, accepted);
        }

        [Fact]
        public void Decoding_allocates_nothing()
        {
            var cloud = Codec();
            var gateway = Codec();
            var got = new DownlinkCommand();
            var msgs = Enumerable.Range(1, 2000).Select(i => Ack(cloud, (uint)i)).ToArray();
            gateway.TryDecode(msgs[0], 0, msgs[0].Length, got);
            var refused = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 1; i < msgs.Length; i++)
            {
                refused += gateway.TryDecode(msgs[i], 0, msgs[i].Length, got) == DownlinkRefusal.None ? 0 : 1;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, refused);
            Assert.Equal(0, allocated);
        }
    }
}
