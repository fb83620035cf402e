using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace Gateway.Cloud.Transparency
{
    /// <summary>Reads the hash of a perfect subtree: level 0 is a leaf hash, level L index i covers leaves [i·2^L, (i+1)·2^L).</summary>
    public delegate byte[] NodeSource(int level, long index);

    /// <summary>
    /// RFC 9162 Merkle tree hashing (section 2.1): leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left ||
    /// right), the empty tree's root SHA-256(""); inclusion and consistency proofs built from stored perfect subtrees
    /// and verified by the RFC's algorithms (2.1.3.2, 2.1.4.2). The log keeps only the perfect subtrees (written once,
    /// when complete) and the right frontier (the compact range: one perfect subtree per set bit of the size).
    /// </summary>
    public static class Merkle
    {
        /// <summary>Bytes of a hash.</summary>
        public const int HashSize = 32;

        /// <summary>Root of the empty tree: SHA-256 of nothing.</summary>
        public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

        /// <summary>SHA-256(0x00 || leaf).</summary>
        public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
        {
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            h.AppendData(stackalloc byte[] { 0 });
            h.AppendData(leaf);
            return h.GetHashAndReset();
        }

        /// <summary>SHA-256(0x01 || left || right).</summary>
        public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
        {
            Span<byte> buffer = stackalloc byte[1 + HashSize + HashSize];
            buffer[0] = 1;
            left.CopyTo(buffer[1..]);
            right.CopyTo(buffer[(1 + HashSize)..]);
            return SHA256.HashData(buffer);
        }

        /// <summary>
        /// Appends leaf <paramref name="size"/> (its hash) to the frontier of a tree of <paramref name="size"/> leaves:
        /// merges the equal-sized subtrees it completes and reports each completed subtree (level ≥ 1) to
        /// <paramref name="completed"/>. The frontier holds the perfect subtrees of the tree, largest (leftmost) first.
        /// </summary>
        public static void Append(List<byte[]> frontier, long size, byte[] leafHash, Action<int, long, byte[]>? completed)
        {
            ArgumentNullException.ThrowIfNull(frontier);
            var hash = leafHash;
            var level = 0;
            while (((size >> level) & 1) == 1)
            {
                hash = NodeHash(frontier[^1], hash);
                frontier.RemoveAt(frontier.Count - 1);
                level++;
                completed?.Invoke(level, size >> level, hash);
            }

            frontier.Add(hash);
        }

        /// <summary>The root of the tree whose frontier this is (its subtrees folded right to left).</summary>
        public static byte[] Root(IReadOnlyList<byte[]> frontier)
        {
            ArgumentNullException.ThrowIfNull(frontier);
            if (frontier.Count == 0)
            {
                return EmptyRoot();
            }

            var root = frontier[^1];
            for (var i = frontier.Count - 2; i >= 0; i--)
            {
                root = NodeHash(frontier[i], root);
            }

            return root;
        }

        /// <summary>MTH(D[start:end]) of a range the RFC's recursion produces (start aligned to the range's split).</summary>
        public static byte[] RangeHash(long start, long end, NodeSource nodes)
        {
            ArgumentNullException.ThrowIfNull(nodes);
            var n = end - start;
            if (n <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(end), "empty range");
            }

            if ((n & (n - 1)) == 0 && start % n == 0)
            {
                var level = System.Numerics.BitOperations.Log2((ulong)n);
                return nodes(level, start >> level);
            }

            var k = LargestPowerOfTwoBelow(n);
            return NodeHash(RangeHash(start, start + k, nodes), RangeHash(start + k, end, nodes));
        }

        /// <summary>The root of the first <paramref name="size"/> leaves.</summary>
        public static byte[] RootAt(long size, NodeSource nodes) => size == 0 ? EmptyRoot() : RangeHash(0, size, nodes);

        /// <summary>PATH(index, D[0:size]) of RFC 9162 2.1.3.1: the leaf's sibling first, the root's child last.</summary>
        public static List<byte[]> InclusionProof(long index, long size, NodeSource nodes)
        {
            if (index < 0 || index >= size)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of {size}");
            }

            var proof = new List<byte[]>();
            Path(index, 0, size, nodes, proof);
            return proof;
        }

        /// <summary>PROOF(m, D[0:n]) of RFC 9162 2.1.4.1 (empty when m is 0 or m equals n).</summary>
        public static List<byte[]> ConsistencyProof(long m, long n, NodeSource nodes)
        {
            if (m < 0 || m > n)
            {
                throw new ArgumentOutOfRangeException(nameof(m), $"size {m} is not within 0..{n}");
            }

            var proof = new List<byte[]>();
            if (m > 0 && m < n)
            {
                SubProof(m, 0, n, true, nodes, proof);
            }

            return proof;
        }

        /// <summary>RFC 9162 2.1.3.2: does the proof lead from the leaf hash at index to the root of a tree of size?</summary>
        public static bool VerifyInclusion(long index, long size, byte[] leafHash, IReadOnlyList<byte[]> proof, byte[] root) =>
            RootFromInclusion(index, size, leafHash, proof) is { } r && CryptographicOperations.FixedTimeEquals(r, root);

        /// <summary>The root the inclusion proof leads to from the leaf hash (RFC 9162 2.1.3.2), or null when the proof has the wrong shape.</summary>
        public static byte[]? RootFromInclusion(long index, long size, byte[] leafHash, IReadOnlyList<byte[]> proof)
        {
            ArgumentNullException.ThrowIfNull(proof);
            if (index < 0 || index >= size)
            {
                return null;
            }

            long fn = index, sn = size - 1;
            var r = leafHash;
            foreach (var p in proof)
            {
                if (sn == 0 || p.Length != HashSize)
                {
                    return null;
                }

                if ((fn & 1) == 1 || fn == sn)
                {
                    r = NodeHash(p, r);
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
                else
                {
                    r = NodeHash(r, p);
                }

                fn >>= 1;
                sn >>= 1;
            }

            return sn == 0 ? r : null;
        }

        /// <summary>
        /// RFC 9162 2.1.4.2: does the proof show the tree of size <paramref name="n"/> extends the one of size
        /// <paramref name="m"/>? Size 0 is extended by every tree (empty proof); equal sizes need equal roots.
        /// </summary>
        public static bool VerifyConsistency(long m, long n, byte[] rootM, byte[] rootN, IReadOnlyList<byte[]> proof)
        {
            ArgumentNullException.ThrowIfNull(proof);
            if (m < 0 || m > n)
            {
                return false;
            }

            if (m == 0)
            {
                return proof.Count == 0;
            }

            if (m == n)
            {
                return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(rootM, rootN);
            }

            if (proof.Count == 0)
            {
                return false;
            }

            var path = new List<byte[]>(proof.Count + 1);
            if ((m & (m - 1)) == 0)
            {
                path.Add(rootM);
            }

            path.AddRange(proof);
            long fn = m - 1, sn = n - 1;
            while ((fn & 1) == 1)
            {
                fn >>= 1;
                sn >>= 1;
            }

            byte[] fr = path[0], sr = path[0];
            for (var i = 1; i < path.Count; i++)
            {
                var c = path[i];
                if (sn == 0 || c.Length != HashSize)
                {
                    return false;
                }

                if ((fn & 1) == 1 || fn == sn)
                {
                    fr = NodeHash(c, fr);
                    sr = NodeHash(c, sr);
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
                else
                {
                    sr = NodeHash(sr, c);
                }

                fn >>= 1;
                sn >>= 1;
            }

            return sn == 0 && CryptographicOperations.FixedTimeEquals(fr, rootM) && CryptographicOperations.FixedTimeEquals(sr, rootN);
        }

        /// <summary>The largest power of two strictly below n (n ≥ 2).</summary>
        public static long LargestPowerOfTwoBelow(long n) => 1L << System.Numerics.BitOperations.Log2((ulong)(n - 1));

        private static void Path(long m, long start, long end, NodeSource nodes, List<byte[]> proof)
        {
            var n = end - start;
            if (n == 1)
            {
                return;
            }

            var k = LargestPowerOfTwoBelow(n);
            if (m < start + k)
            {
                Path(m, start, start + k, nodes, proof);
                proof.Add(RangeHash(start + k, end, nodes));
            }
            else
            {
                Path(m, start + k, end, nodes, proof);
                proof.Add(RangeHash(start, start + k, nodes));
            }
        }

        private static void SubProof(long m, long start, long end, bool complete, NodeSource nodes, List<byte[]> proof)
        {
            var n = end - start;
            if (m == n)
            {
                if (!complete)
                {
                    proof.Add(RangeHash(start, end, nodes));
                }

                return;
            }

            var k = LargestPowerOfTwoBelow(n);
            if (m <= k)
            {
                SubProof(m, start, start + k, complete, nodes, proof);
                proof.Add(RangeHash(start + k, end, nodes));
            }
            else
            {
                SubProof(m - k, start + k, end, false, nodes, proof);
                proof.Add(RangeHash(start, start + k, nodes));
            }
        }
    }
}
