using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Gateway.Cloud.Transparency
{
    /// <summary>
    /// A C2SP tlog-checkpoint body: the origin line, the tree size (ASCII decimal, no leading zeros), the root hash in
    /// base64, then optional non-empty extension lines; every line ends in a newline.
    /// </summary>
    /// <param name="Origin">The log's identity (the log key's name).</param>
    /// <param name="Size">Leaves in the tree.</param>
    /// <param name="Root">The RFC 9162 root hash.</param>
    public sealed record Checkpoint(string Origin, long Size, byte[] Root)
    {
        /// <summary>The body text (what the log signs).</summary>
        public string Body() => Origin + "\n" + Size.ToString(CultureInfo.InvariantCulture) + "\n" + Convert.ToBase64String(Root) + "\n";

        /// <summary>Parses a checkpoint body (a signed note's text); a <see cref="FormatException"/> says what is wrong.</summary>
        public static Checkpoint Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            if (text.Length == 0 || text[^1] != '\n')
            {
                throw new FormatException("checkpoint: the text does not end in a newline");
            }

            var lines = text[..^1].Split('\n');
            if (lines.Length < 3)
            {
                throw new FormatException("checkpoint: fewer than three lines (origin, size, root)");
            }

            if (lines[0].Length == 0)
            {
                throw new FormatException("checkpoint: empty origin line");
            }

            var s = lines[1];
            if (s.Length == 0 || s.Length > 19 || (s.Length > 1 && s[0] == '0') || !long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                throw new FormatException($"checkpoint: size '{s}' is not a decimal without leading zeros");
            }

            byte[] root;
            try
            {
                root = Convert.FromBase64String(lines[2]);
            }
            catch (FormatException)
            {
                throw new FormatException("checkpoint: the root hash is not base64");
            }

            if (root.Length != Merkle.HashSize)
            {
                throw new FormatException("checkpoint: the root hash is not 32 bytes");
            }

            for (var i = 3; i < lines.Length; i++)
            {
                if (lines[i].Length == 0)
                {
                    throw new FormatException("checkpoint: an empty extension line");
                }
            }

            return new Checkpoint(lines[0], size, root);
        }
    }

    /// <summary>A signed checkpoint: the note text, its parsed body and every signature line (the log's and the witnesses').</summary>
    /// <param name="Checkpoint">The parsed body.</param>
    /// <param name="Text">The note text (the body, with any extension lines).</param>
    /// <param name="Signatures">Every signature line.</param>
    public sealed record SignedCheckpoint(Checkpoint Checkpoint, string Text, IReadOnlyList<NoteSignature> Signatures)
    {
        /// <summary>The whole note.</summary>
        public string Note()
        {
            var sb = new StringBuilder(Text).Append('\n');
            foreach (var s in Signatures)
            {
                sb.Append(s.Line());
            }

            return sb.ToString();
        }

        /// <summary>Parses a signed checkpoint note (signatures not checked: see <see cref="VerifiedBy"/>).</summary>
        public static SignedCheckpoint Parse(string note)
        {
            var (text, signatures) = SignedNote.Parse(note);
            return new SignedCheckpoint(Checkpoint.Parse(text), text, signatures);
        }

        /// <summary>
        /// Parses a note and checks it is signed by the log key (its origin must be the key's name); a
        /// <see cref="FormatException"/> says why not.
        /// </summary>
        public static SignedCheckpoint ParseVerified(string note, NoteVerifier logKey)
        {
            ArgumentNullException.ThrowIfNull(logKey);
            var c = Parse(note);
            if (!c.VerifiedBy(logKey))
            {
                throw new FormatException($"checkpoint of size {c.Checkpoint.Size}: no valid signature of the log key {logKey.Name}");
            }

            if (c.Checkpoint.Origin != logKey.Name)
            {
                throw new FormatException($"checkpoint origin '{c.Checkpoint.Origin}' is not the log key's name '{logKey.Name}'");
            }

            return c;
        }

        /// <summary>True when at least one signature of the key verifies and none of it fails.</summary>
        public bool VerifiedBy(NoteVerifier key) => SignedNote.CountValid(Text, Signatures, key) > 0;

        /// <summary>The same checkpoint with more signature lines (those already present are not repeated).</summary>
        public SignedCheckpoint With(IEnumerable<NoteSignature> more)
        {
            var all = new List<NoteSignature>(Signatures);
            foreach (var s in more)
            {
                if (!all.Exists(a => a.Name == s.Name && a.KeyId == s.KeyId))
                {
                    all.Add(s);
                }
            }

            return this with { Signatures = all };
        }
    }
}
