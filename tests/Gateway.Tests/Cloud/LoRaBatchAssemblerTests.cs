using System;
using System.Collections.Generic;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Ingest;
using Gateway.Core.Codec;
using Gateway.Tests.Codec;
using Xunit;

namespace Gateway.Tests.Cloud
{
    public class LoRaBatchAssemblerTests
    {
        private const string DevEui = "70B3D57ED00003E8";

        private static NetworkUplink Up(int port, uint fCnt, byte[] payload, string devEui = DevEui) =>
            new(devEui, port, fCnt, payload, DateTimeOffset.UnixEpoch, -110, -5, 10);

        /// <summary>A batch encoded for <paramref name="fragments"/> DR2 frames, and its fragments as the node sends them.</summary>
        internal static (byte[] Batch, List<byte[]> Fragments) FragmentedBatch(BatchEncoder enc, int at, int fragments)
        {
            var (r, s) = CodecFixtures.Stream(new Random(3), 2000);
            var budget = BatchFragmenter.BudgetFor(fragments);
            var buffer = new byte[budget];
            var len = enc.Encode(r, s, at, r.Length - at, budget, 8, buffer, 0);
            enc.Commit();
            var frames = new List<byte[]>();
            for (var i = 0; i < BatchFragmenter.FragmentCount(len); i++)
            {
                var frame = new byte[BatchFragmenter.FrameBytes];
                var fl = BatchFragmenter.WriteFragment(buffer, 0, len, i, frame, 0);
                frames.Add(frame.AsSpan(0, fl).ToArray());
            }

            return (buffer.AsSpan(0, len).ToArray(), frames);
        }

        [Fact]
        public void A_batch_on_the_batch_port_passes_as_it_is()
        {
            var payload = new byte[] { 0x11, 1, 2, 3 };
            var got = new LoRaBatchAssembler().Take(Up(BatchFragmenter.BatchPort, 7, payload));
            Assert.Same(payload, got.Batch);
            Assert.Null(got.Error);
        }

        [Fact]
        public void Fragments_in_consecutive_frames_make_the_batch_that_then_verifies()
        {
            var enc = new BatchEncoder(CodecFixtures.Hmac(), CodecFixtures.DeviceId, 1, 256);
            var (batch, frames) = FragmentedBatch(enc, 0, 8);
            Assert.Equal(8, frames.Count);
            var assembler = new LoRaBatchAssembler();
            byte[]? whole = null;
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.Null(whole);
                var got = assembler.Take(Up(BatchFragmenter.FragmentPort, 100u + (uint)i, frames[i]));
                Assert.Null(got.Error);
                Assert.Equal(i < frames.Count - 1, got.Waiting);
                whole = got.Batch;
            }

            Assert.Equal(batch, whole);
            var verifier = new BatchVerifier();
            verifier.AddKey(CodecFixtures.DeviceId, CodecFixtures.KeyId, CodecFixtures.Key(7));
            Assert.Equal(BatchVerdict.Ok, verifier.Verify(whole!).Verdict);
            Assert.Equal(1, assembler.Reassembled);
            Assert.Equal(8, assembler.Fragments);
        }

        [Fact]
        public void The_leftovers_of_a_batch_that_lost_a_fragment_never_mix_with_the_next_batch()
        {
            // The first batch loses fragment 2; the gateway then sends another batch of as many fragments (a resend
            // re-encoded later, or the next one). Without frame counters the leftovers 3..7 would complete it wrongly.
            var enc = new BatchEncoder(CodecFixtures.Hmac(), CodecFixtures.DeviceId, 1, 256);
            var (_, first) = FragmentedBatch(enc, 0, 8);
            var (second, again) = FragmentedBatch(enc, 40, 8);
            Assert.Equal(first.Count, again.Count);
            var assembler = new LoRaBatchAssembler();
            uint fCnt = 50;
            for (var i = 0; i < first.Count; i++, fCnt++)
            {
                if (i != 2)
                {
                    Assert.True(assembler.Take(Up(BatchFragmenter.FragmentPort, fCnt, first[i])).Waiting);
                }
            }

            byte[]? whole = null;
            for (var i = 0; i < again.Count; i++, fCnt++)
            {
                Assert.Null(whole);
                whole = assembler.Take(Up(BatchFragmenter.FragmentPort, fCnt, again[i])).Batch;
            }

            Assert.Equal(second, whole);
        }

        [Fact]
        public void Fragments_of_two_devices_are_kept_apart()
        {
            var enc = new BatchEncoder(CodecFixtures.Hmac(), CodecFixtures.DeviceId, 1, 256);
            var (batch, frames) = FragmentedBatch(enc, 0, 6);
            var assembler = new LoRaBatchAssembler();
            byte[]? whole = null;
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.True(assembler.Take(Up(BatchFragmenter.FragmentPort, 10u + (uint)i, frames[(i + 1) % frames.Count], "70B3D57ED00003E9")).Error is null);
                whole = assembler.Take(Up(BatchFragmenter.FragmentPort, 900u + (uint)i, frames[i])).Batch ?? whole;
            }

            Assert.Equal(batch, whole);
        }

        [Fact]
        public void Other_ports_and_malformed_fragments_are_refused_with_a_reason()
        {
            var assembler = new LoRaBatchAssembler();
            Assert.StartsWith("fPort 3 carries no batch", assembler.Take(Up(3, 1, new byte[] { 1, 2 })).Error);
            Assert.StartsWith("fragment: a fragment has 2..11 bytes", assembler.Take(Up(BatchFragmenter.FragmentPort, 1, new byte[20])).Error);
            Assert.StartsWith("fragment: fragment index 3 of 3", assembler.Take(Up(BatchFragmenter.FragmentPort, 1, new byte[] { 0x32, 1 })).Error);
            Assert.StartsWith("fragment: only the last fragment may be short", assembler.Take(Up(BatchFragmenter.FragmentPort, 1, new byte[] { 0x02, 1 })).Error);
        }
    }
}
