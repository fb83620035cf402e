using System;
using System.Linq;
using Gateway.Cloud.Transparency;
using Xunit;

namespace Gateway.Tests.Cloud.Transparency
{
    /// <summary>Leaf encoding, signed notes, checkpoints and cosignatures against vectors made by node's own crypto.</summary>
    public sealed class SignedNoteTests
    {
        [Fact]
        public void The_leaf_encoding_matches_the_vector()
        {
            var v = TransparencyVectors.Note().GetProperty("leaf");
            var leaf = new LogLeaf(v.GetProperty("device").GetUInt32(), v.GetProperty("first_sequence").GetUInt32(), v.GetProperty("received_at_ms").GetInt64(), v.GetProperty("transport").GetString()!,
                (LeafVerdict)v.GetProperty("verdict").GetInt32(), Convert.FromHexString(v.GetProperty("batch_hex").GetString()!));
            Assert.Equal(v.GetProperty("encoded_hex").GetString(), Convert.ToHexString(leaf.Encode()).ToLowerInvariant());
            Assert.Equal(v.GetProperty("leaf_hash").GetString(), Convert.ToBase64String(leaf.Hash()));
            var back = LogLeaf.Decode(leaf.Encode());
            Assert.Equal(leaf.DeviceId, back.DeviceId);
            Assert.Equal(leaf.Batch, back.Batch);
            Assert.Throws<FormatException>(() => LogLeaf.Decode(leaf.Encode()[..^1]));
        }

        [Fact]
        public void The_log_key_signs_the_checkpoint_exactly_as_the_vector()
        {
            var v = TransparencyVectors.Note();
            var log = v.GetProperty("log");
            var signer = NoteSigner.Parse(log.GetProperty("signer_key").GetString()!);
            Assert.Equal(log.GetProperty("verifier_key").GetString(), signer.VerifierKey);
            Assert.Equal(log.GetProperty("signer_key").GetString(), signer.Export());
            var cp = v.GetProperty("checkpoint");
            var body = cp.GetProperty("body").GetString()!;
            Assert.Equal(cp.GetProperty("note").GetString(), SignedNote.Sign(body, signer));

            var parsed = SignedCheckpoint.ParseVerified(cp.GetProperty("note").GetString()!, NoteVerifier.Parse(log.GetProperty("verifier_key").GetString()!));
            Assert.Equal(1, parsed.Checkpoint.Size);
            Assert.Equal("town.example/river-log", parsed.Checkpoint.Origin);
            Assert.Equal(body, parsed.Checkpoint.Body());
        }

        [Fact]
        public void A_changed_checkpoint_or_another_key_does_not_verify()
        {
            var v = TransparencyVectors.Note();
            var key = NoteVerifier.Parse(v.GetProperty("log").GetProperty("verifier_key").GetString()!);
            var note = v.GetProperty("checkpoint").GetProperty("note").GetString()!;
            Assert.Throws<FormatException>(() => SignedCheckpoint.ParseVerified(note.Replace("\n1\n", "\n2\n", StringComparison.Ordinal), key));
            var other = NoteSigner.Generate("town.example/river-log", NoteSigner.Ed25519);
            Assert.Throws<FormatException>(() => SignedCheckpoint.ParseVerified(note, other.Verifier));
            Assert.Throws<FormatException>(() => SignedCheckpoint.Parse("town.example/river-log\n01\nAAAA\n\n— x AAAAAAAA\n"));
            Assert.Throws<FormatException>(() => SignedCheckpoint.Parse("no signatures\n"));
            Assert.Throws<FormatException>(() => NoteVerifier.Parse("town.example/river-log+00000000+" + v.GetProperty("log").GetProperty("verifier_key").GetString()!.Split('+')[2]));
        }

        [Fact]
        public void The_witness_cosignature_matches_the_vector_and_verifies()
        {
            var v = TransparencyVectors.Note();
            var w = v.GetProperty("witness");
            var witness = NoteSigner.Parse(w.GetProperty("signer_key").GetString()!);
            Assert.Equal(w.GetProperty("verifier_key").GetString(), witness.VerifierKey);
            var body = v.GetProperty("checkpoint").GetProperty("body").GetString()!;
            var line = witness.Cosign(body, w.GetProperty("time").GetInt64()).Line();
            Assert.Equal(w.GetProperty("cosignature_line").GetString(), line);

            var cosigned = SignedCheckpoint.Parse(w.GetProperty("cosigned_note").GetString()!);
            Assert.True(cosigned.VerifiedBy(NoteVerifier.Parse(w.GetProperty("verifier_key").GetString()!)));
            Assert.True(cosigned.VerifiedBy(NoteVerifier.Parse(v.GetProperty("log").GetProperty("verifier_key").GetString()!)));
            Assert.Equal(2, cosigned.Signatures.Count);
            Assert.Equal(w.GetProperty("cosigned_note").GetString(), cosigned.Note());
        }
    }
}
