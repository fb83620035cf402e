using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Xunit;

namespace Gateway.Tests.Codec
{
    public class FragmentTests
    {
        [Fact]
        public void DrTwoFragmentsReassembleInAnyOrderIntoAVerifiedBatch()
        {
            var rng = new Random(2);
            var (r, s) = CodecFixtures.Stream(rng, 5000);
            var enc = new BatchEncoder(CodecFixtures.Hmac(), CodecFixtures.DeviceId, 1, 256);
            var verifier = new BatchVerifier();
            verifier.AddKey(CodecFixtures.DeviceId, CodecFixtures.KeyId, CodecFixtures.Key(7));
            var reassembler = new FragmentReassembler();
            int at = 0;
            for (int round = 0; round < 10; round++)
            {
                int fragments = rng.Next(6, 17);
                int budget = BatchFragmenter.BudgetFor(fragments);
                var batch = new byte[budget];
                int len = enc.Encode(r, s, at, r.Length - at, budget, 8, batch, 0);
                Assert.InRange(len, 1, budget);
                enc.Commit();
                at += enc.Taken;
                var frames = new List<byte[]>();
                for (int i = 0; i < BatchFragmenter.FragmentCount(len); i++)
                {
                    var frame = new byte[BatchFragmenter.FrameBytes];
                    int fl = BatchFragmenter.WriteFragment(batch, 0, len, i, frame, 0);
                    Assert.InRange(fl, 2, BatchFragmenter.FrameBytes);
                    frames.Add(frame.AsSpan(0, fl).ToArray());
                }

                byte[]? whole = null;
                foreach (var f in frames.OrderBy(_ => rng.Next()))
                {
                    Assert.Null(whole);
                    whole = reassembler.Add(f, out var error);
                    Assert.Null(error);
                }

                Assert.NotNull(whole);
                Assert.Equal(batch.AsSpan(0, len).ToArray(), whole);
                Assert.Equal(BatchVerdict.Ok, verifier.Verify(whole!).Verdict);
            }
        }

        [Fact]
        public void AMissingFragmentYieldsNoBatch()
        {
            var reassembler = new FragmentReassembler();
            Assert.Null(reassembler.Add(new byte[] { 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, out _));
            Assert.Null(reassembler.Add(new byte[] { 0x22, 1, 2 }, out _));
            Assert.Null(reassembler.Add(new byte[] { 0x32, 1 }, out var error));
            Assert.NotNull(error);
        }
    }
}
