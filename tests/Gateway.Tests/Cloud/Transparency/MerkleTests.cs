using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cloud.Transparency;
using Xunit;

namespace Gateway.Tests.Cloud.Transparency
{
    /// <summary>RFC 9162 hashing and proofs against the shared vectors, and the frontier against the recursive definition.</summary>
    public sealed class MerkleTests
    {
        private static (byte[][] Leaves, NodeSource Nodes) Tree()
        {
            var v = TransparencyVectors.Merkle();
            var leaves = v.GetProperty("leaves_hex").EnumerateArray().Select(e => Convert.FromHexString(e.GetString()!)).ToArray();
            var hashes = leaves.Select(l => Merkle.LeafHash(l)).ToArray();
            return (leaves, InMemory(hashes));
        }

        /// <summary>Nodes of an in-memory tree: perfect subtrees computed from the leaf hashes.</summary>
        internal static NodeSource InMemory(IReadOnlyList<byte[]> leafHashes) => (level, index) =>
        {
            var size = 1L << level;
            var start = index * size;
            if (start + size > leafHashes.Count)
            {
                throw new InvalidOperationException($"subtree {level}/{index} is not complete");
            }

            return Naive(leafHashes.Skip((int)start).Take((int)size).ToList());
        };

        private static byte[] Naive(IReadOnlyList<byte[]> hashes)
        {
            if (hashes.Count == 1)
            {
                return hashes[0];
            }

            var k = (int)Merkle.LargestPowerOfTwoBelow(hashes.Count);
            return Merkle.NodeHash(Naive(hashes.Take(k).ToList()), Naive(hashes.Skip(k).ToList()));
        }

        [Fact]
        public void Leaf_hashes_and_roots_match_the_vectors()
        {
            var v = TransparencyVectors.Merkle();
            var (leaves, nodes) = Tree();
            Assert.Equal(TransparencyVectors.Hashes(v.GetProperty("leaf_hashes")), leaves.Select(l => Merkle.LeafHash(l)).ToArray());
            var roots = TransparencyVectors.Hashes(v.GetProperty("roots"));
            for (var n = 0; n <= leaves.Length; n++)
            {
                Assert.Equal(roots[n], Merkle.RootAt(n, nodes));
            }
        }

        [Fact]
        public void The_frontier_gives_every_root_and_reports_every_completed_subtree()
        {
            var v = TransparencyVectors.Merkle();
            var (leaves, nodes) = Tree();
            var roots = TransparencyVectors.Hashes(v.GetProperty("roots"));
            var frontier = new List<byte[]>();
            Assert.Equal(roots[0], Merkle.Root(frontier));
            for (var i = 0; i < leaves.Length; i++)
            {
                var completed = new List<(int, long, byte[])>();
                Merkle.Append(frontier, i, Merkle.LeafHash(leaves[i]), (l, x, h) => completed.Add((l, x, h)));
                Assert.Equal(roots[i + 1], Merkle.Root(frontier));
                Assert.Equal(System.Numerics.BitOperations.PopCount((ulong)(i + 1)), frontier.Count);
                foreach (var (level, index, hash) in completed)
                {
                    Assert.Equal(nodes(level, index), hash);
                }
            }
        }

        [Fact]
        public void Inclusion_proofs_match_the_vectors_and_verify()
        {
            var v = TransparencyVectors.Merkle();
            var (leaves, nodes) = Tree();
            var roots = TransparencyVectors.Hashes(v.GetProperty("roots"));
            var count = 0;
            foreach (var c in v.GetProperty("inclusion").EnumerateArray())
            {
                var m = c.GetProperty("index").GetInt64();
                var n = c.GetProperty("size").GetInt64();
                var expected = TransparencyVectors.Hashes(c.GetProperty("proof"));
                var proof = Merkle.InclusionProof(m, n, nodes);
                Assert.Equal(expected, proof.ToArray());
                var leaf = Merkle.LeafHash(leaves[m]);
                Assert.True(Merkle.VerifyInclusion(m, n, leaf, proof, roots[n]));

                // A wrong leaf, index, size, root or proof does not verify.
                Assert.False(Merkle.VerifyInclusion(m, n, Merkle.LeafHash(new byte[] { 0xEE }), proof, roots[n]));
                if (n + 1 < roots.Length)
                {
                    Assert.False(Merkle.VerifyInclusion(m, n + 1, leaf, proof, roots[n + 1]));
                }

                if (n > 1)
                {
                    Assert.False(Merkle.VerifyInclusion((m + 1) % n, n, leaf, proof, roots[n]));
                    Assert.False(Merkle.VerifyInclusion(m, n, leaf, proof.Take(proof.Count - 1).ToList(), roots[n]));
                    var bent = proof.Select(p => (byte[])p.Clone()).ToList();
                    bent[0][0] ^= 1;
                    Assert.False(Merkle.VerifyInclusion(m, n, leaf, bent, roots[n]));
                }

                count++;
            }

            Assert.Equal(66, count);
        }

        [Fact]
        public void Consistency_proofs_match_the_vectors_and_verify()
        {
            var v = TransparencyVectors.Merkle();
            var (_, nodes) = Tree();
            var roots = TransparencyVectors.Hashes(v.GetProperty("roots"));
            foreach (var c in v.GetProperty("consistency").EnumerateArray())
            {
                var m = c.GetProperty("old").GetInt64();
                var n = c.GetProperty("new").GetInt64();
                var expected = TransparencyVectors.Hashes(c.GetProperty("proof"));
                var proof = Merkle.ConsistencyProof(m, n, nodes);
                Assert.Equal(expected, proof.ToArray());
                Assert.True(Merkle.VerifyConsistency(m, n, roots[m], roots[n], proof), $"{m} -> {n}");
                if (m > 0 && m < n)
                {
                    // Another old root (a rewritten past) or new root (a fork) fails.
                    Assert.False(Merkle.VerifyConsistency(m, n, roots[m - 1], roots[n], proof));
                    Assert.False(Merkle.VerifyConsistency(m, n, roots[m], roots[n - 1], proof));
                }
            }

            Assert.False(Merkle.VerifyConsistency(5, 4, roots[5], roots[4], new List<byte[]>()));
            Assert.False(Merkle.VerifyConsistency(4, 4, roots[4], roots[5], new List<byte[]>()));
        }

        [Fact]
        public void A_proof_at_a_billion_leaves_has_thirty_hashes()
        {
            const long n = 1_000_000_000;
            NodeSource fake = (level, index) => new byte[32];
            Assert.Equal(30, Merkle.InclusionProof(0, n, fake).Count);
            Assert.True(Merkle.InclusionProof(n - 1, n, fake).Count <= 30);
            Assert.True(Merkle.InclusionProof(n / 2 + 12345, n, fake).Count <= 30);
            Assert.True(Merkle.ConsistencyProof(n / 3, n, fake).Count <= 31);
        }
    }
}
