using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Cloud.Transparency;
using Xunit;

namespace Gateway.Tests.Cloud.Transparency
{
    /// <summary>
    /// The witness cosigns a log that grows append-only, and refuses — with an alarm and kept evidence — a fork (same
    /// size, another root) and a rewrite (a later checkpoint that does not extend the cosigned one); over HTTP too,
    /// through the log's own witness client.
    /// </summary>
    public sealed class WitnessTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-witness-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly NoteSigner _log = NoteSigner.Generate("town.example/river-log", NoteSigner.Ed25519);
        private readonly NoteSigner _witnessKey = NoteSigner.Generate("prefecture.example/witness", NoteSigner.Cosignature);
        private readonly List<string> _alarms = new();

        public WitnessTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        private static List<byte[]> Leaves(int n, string tag) => Enumerable.Range(0, n).Select(i => Merkle.LeafHash(System.Text.Encoding.ASCII.GetBytes(tag + i))).ToList();

        private SignedCheckpoint Sign(List<byte[]> leaves, int size) =>
            SignedCheckpoint.Parse(SignedNote.Sign(new Checkpoint(_log.Name, size, Merkle.RootAt(size, MerkleTests.InMemory(leaves))).Body(), _log));

        private static string Request(long old, IEnumerable<byte[]> proof, SignedCheckpoint cp) =>
            $"old {old}\n" + string.Concat(proof.Select(h => Convert.ToBase64String(h) + "\n")) + "\n" + cp.Note();

        private Witness NewWitness() => new(_witnessKey, new[] { _log.Verifier }, _dir, _alarms.Add, () => 1_790_000_000);

        [Fact]
        public void It_cosigns_an_append_only_log_and_refuses_a_fork_and_a_rewrite()
        {
            var w = NewWitness();
            var honest = Leaves(20, "a");
            var nodes = MerkleTests.InMemory(honest);

            var first = w.AddCheckpoint(Request(0, Array.Empty<byte[]>(), Sign(honest, 7)));
            Assert.Equal(200, first.Status);
            var cosig = SignedNote.ParseLine(first.Body.TrimEnd('\n'));
            Assert.True(Sign(honest, 7).With(new[] { cosig }).VerifiedBy(_witnessKey.Verifier));

            var stale = w.AddCheckpoint(Request(0, Array.Empty<byte[]>(), Sign(honest, 12)));
            Assert.Equal((409, "text/x.tlog.size", "7\n"), (stale.Status, stale.ContentType, stale.Body));
            Assert.Equal(200, w.AddCheckpoint(Request(7, Merkle.ConsistencyProof(7, 12, nodes), Sign(honest, 12))).Status);

            // A fork: another tree of the same size 12 (leaf 9 changed), signed by the log key.
            var forked = honest.ToList();
            forked[9] = Merkle.LeafHash(new byte[] { 0xBA, 0xD });
            var fork = w.AddCheckpoint(Request(12, Array.Empty<byte[]>(), Sign(forked, 12)));
            Assert.Equal(409, fork.Status);

            // A rewrite: a bigger tree that does not extend the cosigned one, with its own (honest-looking) proof.
            var rewrite = w.AddCheckpoint(Request(12, Merkle.ConsistencyProof(12, 16, MerkleTests.InMemory(forked)), Sign(forked, 16)));
            Assert.Equal(422, rewrite.Status);
            Assert.Equal(2, w.Alarms);
            Assert.Contains(_alarms, a => a.Contains("ALARM fork", StringComparison.Ordinal));
            Assert.Contains(_alarms, a => a.Contains("ALARM rewrite", StringComparison.Ordinal));
            Assert.Equal(2, Directory.GetFiles(Path.Combine(_dir, "evidence")).Length);

            // The witness still holds the honest log (across a restart) and keeps cosigning it.
            var again = NewWitness();
            Assert.Equal(12, again.Latest(_log.Name)!.Checkpoint.Size);
            Assert.Equal(200, again.AddCheckpoint(Request(12, Merkle.ConsistencyProof(12, 20, nodes), Sign(honest, 20))).Status);
        }

        [Fact]
        public void It_refuses_unknown_logs_bad_signatures_and_malformed_requests()
        {
            var w = NewWitness();
            var leaves = Leaves(4, "b");
            var stranger = NoteSigner.Generate("elsewhere.example/log", NoteSigner.Ed25519);
            var foreign = SignedCheckpoint.Parse(SignedNote.Sign(new Checkpoint(stranger.Name, 4, Merkle.RootAt(4, MerkleTests.InMemory(leaves))).Body(), stranger));
            Assert.Equal(404, w.AddCheckpoint(Request(0, Array.Empty<byte[]>(), foreign)).Status);
            var impostor = NoteSigner.Generate(_log.Name, NoteSigner.Ed25519);
            var forged = SignedCheckpoint.Parse(SignedNote.Sign(new Checkpoint(_log.Name, 4, Merkle.RootAt(4, MerkleTests.InMemory(leaves))).Body(), impostor));
            Assert.Equal(403, w.AddCheckpoint(Request(0, Array.Empty<byte[]>(), forged)).Status);
            Assert.Equal(400, w.AddCheckpoint("old x\n\n" + Sign(leaves, 4).Note()).Status);
            Assert.Equal(400, w.AddCheckpoint(Request(5, Array.Empty<byte[]>(), Sign(leaves, 4))).Status);
            Assert.Equal(400, w.AddCheckpoint("garbage").Status);
        }

        [Fact]
        public void The_log_gets_cosignatures_over_HTTP_and_a_fork_gets_none()
        {
            var port = 20000 + Random.Shared.Next(20000);
            using var server = new WitnessServer(NewWitness(), "127.0.0.1", port);
            var client = new WitnessClient(new Uri(server.Prefix), _witnessKey.Verifier);
            var leaves = Leaves(9, "c");
            var nodes = MerkleTests.InMemory(leaves);
            Assert.Single(client.Cosign(Sign(leaves, 5), old => Merkle.ConsistencyProof(old, 5, nodes)));
            Assert.Single(client.Cosign(Sign(leaves, 9), old => Merkle.ConsistencyProof(old, 9, nodes)));

            var forked = leaves.ToList();
            forked[2] = Merkle.LeafHash(new byte[] { 1 });
            Assert.Empty(client.Cosign(Sign(forked, 9), old => Merkle.ConsistencyProof(old, 9, MerkleTests.InMemory(forked))));
            Assert.Contains("409", client.LastError, StringComparison.Ordinal);
        }
    }
}
