using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Gateway.Cloud.Transparency
{
    /// <summary>One signature line of a signed note: key name, 32-bit key ID and the signature bytes after it.</summary>
    /// <param name="Name">Key name.</param>
    /// <param name="KeyId">The key ID (big-endian first four bytes of the base64 payload).</param>
    /// <param name="Signature">The bytes after the key ID.</param>
    public sealed record NoteSignature(string Name, uint KeyId, byte[] Signature)
    {
        /// <summary>"— name base64(keyid || signature)\n".</summary>
        public string Line()
        {
            var payload = new byte[4 + Signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(payload, KeyId);
            Signature.CopyTo(payload, 4);
            return "\u2014 " + Name + " " + Convert.ToBase64String(payload) + "\n";
        }
    }

    /// <summary>
    /// C2SP signed-note: a text ending in a newline, a blank line, then signature lines "— name base64(keyid || sig)".
    /// Parsing refuses control characters other than newline, a text without a final newline, a note without
    /// signatures, and malformed lines; it never throws anything but <see cref="FormatException"/>.
    /// </summary>
    public static class SignedNote
    {
        /// <summary>Most signature lines accepted in one note.</summary>
        public const int MaxSignatures = 64;

        /// <summary>Splits a note into its text (with the final newline) and its signature lines.</summary>
        public static (string Text, List<NoteSignature> Signatures) Parse(string note)
        {
            ArgumentNullException.ThrowIfNull(note);
            foreach (var ch in note)
            {
                if (ch < 0x20 && ch != '\n')
                {
                    throw new FormatException("signed note: a control character other than newline");
                }
            }

            var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
            if (split < 0)
            {
                throw new FormatException("signed note: no blank line before the signatures");
            }

            var text = note[..(split + 1)];
            var rest = note[(split + 2)..];
            if (rest.Length == 0 || rest[^1] != '\n')
            {
                throw new FormatException("signed note: no signature lines, or the last one does not end in a newline");
            }

            var signatures = new List<NoteSignature>();
            foreach (var line in rest[..^1].Split('\n'))
            {
                signatures.Add(ParseLine(line));
                if (signatures.Count > MaxSignatures)
                {
                    throw new FormatException($"signed note: more than {MaxSignatures} signatures");
                }
            }

            return (text, signatures);
        }

        /// <summary>Parses one signature line (without its newline).</summary>
        public static NoteSignature ParseLine(string line)
        {
            ArgumentNullException.ThrowIfNull(line);
            if (!line.StartsWith("\u2014 ", StringComparison.Ordinal))
            {
                throw new FormatException("signed note: a signature line does not start with an em dash and a space");
            }

            var parts = line[2..].Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[0].Contains('+', StringComparison.Ordinal))
            {
                throw new FormatException("signed note: a signature line is not \"— name signature\"");
            }

            byte[] payload;
            try
            {
                payload = Convert.FromBase64String(parts[1]);
            }
            catch (FormatException)
            {
                throw new FormatException("signed note: a signature is not base64");
            }

            if (payload.Length < 5)
            {
                throw new FormatException("signed note: a signature is shorter than its key ID");
            }

            return new NoteSignature(parts[0], BinaryPrimitives.ReadUInt32BigEndian(payload), payload[4..]);
        }

        /// <summary>Signs a text (which must end in a newline) and returns the note: text, blank line, signature line.</summary>
        public static string Sign(string text, NoteSigner signer)
        {
            ArgumentNullException.ThrowIfNull(text);
            ArgumentNullException.ThrowIfNull(signer);
            if (text.Length == 0 || text[^1] != '\n')
            {
                throw new ArgumentException("a note text ends in a newline", nameof(text));
            }

            return text + "\n" + signer.SignNote(text).Line();
        }

        /// <summary>
        /// The signatures of the note made by <paramref name="verifier"/>'s key (name and key ID match) that verify;
        /// -1 when one matched and did not verify (the whole note must then be rejected), otherwise how many verified.
        /// </summary>
        public static int CountValid(string text, IEnumerable<NoteSignature> signatures, NoteVerifier verifier)
        {
            ArgumentNullException.ThrowIfNull(signatures);
            ArgumentNullException.ThrowIfNull(verifier);
            var valid = 0;
            foreach (var s in signatures)
            {
                if (s.Name != verifier.Name || s.KeyId != verifier.KeyId)
                {
                    continue;
                }

                if (!verifier.Verify(text, s.Signature))
                {
                    return -1;
                }

                valid++;
            }

            return valid;
        }
    }

    /// <summary>
    /// An Ed25519 key of the note format: the log's checkpoint key (type 0x01, signs the note text) or a witness's
    /// cosigning key (type 0x04, signs "cosignature/v1", a time line and the checkpoint body, and prefixes the time).
    /// Its file form is "PRIVATE+KEY+name+keyid+base64(type || 32-byte seed)", one line.
    /// </summary>
    public sealed class NoteSigner
    {
        /// <summary>Checkpoint signatures of the log.</summary>
        public const byte Ed25519 = 0x01;

        /// <summary>Timestamped witness cosignatures (tlog-cosignature).</summary>
        public const byte Cosignature = 0x04;

        private readonly Key _key;

        private NoteSigner(string name, byte type, Key key)
        {
            NoteVerifier.CheckName(name);
            Name = name;
            Type = type;
            _key = key;
            PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
            KeyId = NoteVerifier.ComputeKeyId(name, type, PublicKey);
        }

        /// <summary>The key name (the log's origin, or the witness's name).</summary>
        public string Name { get; }

        /// <summary>Signature type byte (0x01 or 0x04).</summary>
        public byte Type { get; }

        /// <summary>The key ID.</summary>
        public uint KeyId { get; }

        /// <summary>The 32-byte public key.</summary>
        public byte[] PublicKey { get; }

        /// <summary>The public key in verifier-key form (name+keyid+base64(type || key)).</summary>
        public string VerifierKey => NoteVerifier.Format(Name, Type, PublicKey);

        /// <summary>The verifier of this key.</summary>
        public NoteVerifier Verifier => NoteVerifier.Parse(VerifierKey);

        /// <summary>A new random key.</summary>
        public static NoteSigner Generate(string name, byte type) =>
            new(name, type, Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

        /// <summary>A key from its 32-byte seed (test vectors).</summary>
        public static NoteSigner FromSeed(string name, byte type, byte[] seed) =>
            new(name, type, Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

        /// <summary>Parses the file form; a <see cref="FormatException"/> says what is wrong.</summary>
        public static NoteSigner Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var parts = text.Trim().Split('+', 5);
            if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY")
            {
                throw new FormatException("not a signer key (PRIVATE+KEY+name+keyid+base64)");
            }

            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(parts[4]);
            }
            catch (FormatException)
            {
                throw new FormatException("signer key: the key is not base64");
            }

            if (blob.Length != 33 || (blob[0] != Ed25519 && blob[0] != Cosignature))
            {
                throw new FormatException("signer key: not an Ed25519 (0x01) or cosignature (0x04) seed of 32 bytes");
            }

            var signer = FromSeed(parts[2], blob[0], blob[1..]);
            if (!uint.TryParse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id) || id != signer.KeyId)
            {
                throw new FormatException("signer key: the key ID does not match the name and key");
            }

            return signer;
        }

        /// <summary>The file form of this key (secret).</summary>
        public string Export()
        {
            var blob = new byte[33];
            blob[0] = Type;
            _key.Export(KeyBlobFormat.RawPrivateKey).CopyTo(blob, 1);
            return $"PRIVATE+KEY+{Name}+{KeyId:x8}+{Convert.ToBase64String(blob)}";
        }

        /// <summary>Signs a note text with a type 0x01 key.</summary>
        public NoteSignature SignNote(string text)
        {
            if (Type != Ed25519)
            {
                throw new InvalidOperationException("a cosignature key signs checkpoints with Cosign");
            }

            return new NoteSignature(Name, KeyId, SignatureAlgorithm.Ed25519.Sign(_key, Encoding.UTF8.GetBytes(text)));
        }

        /// <summary>A tlog-cosignature/v1 over a checkpoint body at a POSIX time (type 0x04 key).</summary>
        public NoteSignature Cosign(string checkpointBody, long timestamp)
        {
            if (Type != Cosignature)
            {
                throw new InvalidOperationException("only a cosignature (0x04) key cosigns");
            }

            var sig = SignatureAlgorithm.Ed25519.Sign(_key, NoteVerifier.CosignedMessage(checkpointBody, timestamp));
            var payload = new byte[8 + sig.Length];
            BinaryPrimitives.WriteInt64BigEndian(payload, timestamp);
            sig.CopyTo(payload, 8);
            return new NoteSignature(Name, KeyId, payload);
        }
    }

    /// <summary>A public key of the note format: "name+keyid+base64(type || 32-byte Ed25519 key)".</summary>
    public sealed class NoteVerifier
    {
        private readonly PublicKey _key;

        private NoteVerifier(string name, byte type, byte[] key)
        {
            Name = name;
            Type = type;
            Key = key;
            KeyId = ComputeKeyId(name, type, key);
            _key = NSec.Cryptography.PublicKey.Import(SignatureAlgorithm.Ed25519, key, KeyBlobFormat.RawPublicKey);
        }

        /// <summary>The key name.</summary>
        public string Name { get; }

        /// <summary>Signature type (0x01 note, 0x04 cosignature).</summary>
        public byte Type { get; }

        /// <summary>The key ID.</summary>
        public uint KeyId { get; }

        /// <summary>The 32-byte key.</summary>
        public byte[] Key { get; }

        /// <summary>SHA-256(name || 0x0A || type || key)[:4], big-endian.</summary>
        public static uint ComputeKeyId(string name, byte type, byte[] key)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(key);
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var data = new byte[nameBytes.Length + 2 + key.Length];
            nameBytes.CopyTo(data, 0);
            data[nameBytes.Length] = 0x0A;
            data[nameBytes.Length + 1] = type;
            key.CopyTo(data, nameBytes.Length + 2);
            return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(data));
        }

        /// <summary>The verifier-key text of a key.</summary>
        public static string Format(string name, byte type, byte[] key)
        {
            ArgumentNullException.ThrowIfNull(key);
            var blob = new byte[1 + key.Length];
            blob[0] = type;
            key.CopyTo(blob, 1);
            return $"{name}+{ComputeKeyId(name, type, key):x8}+{Convert.ToBase64String(blob)}";
        }

        /// <summary>Parses a verifier key; a <see cref="FormatException"/> says what is wrong.</summary>
        public static NoteVerifier Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var parts = text.Trim().Split('+', 3);
            if (parts.Length != 3)
            {
                throw new FormatException($"verifier key '{text.Trim()}': not name+keyid+base64");
            }

            CheckName(parts[0]);
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(parts[2]);
            }
            catch (FormatException)
            {
                throw new FormatException($"verifier key of {parts[0]}: the key is not base64");
            }

            if (blob.Length != 33 || (blob[0] != NoteSigner.Ed25519 && blob[0] != NoteSigner.Cosignature))
            {
                throw new FormatException($"verifier key of {parts[0]}: not an Ed25519 (0x01) or cosignature (0x04) key of 32 bytes");
            }

            var v = new NoteVerifier(parts[0], blob[0], blob[1..]);
            if (!uint.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id) || id != v.KeyId || parts[1].Length != 8)
            {
                throw new FormatException($"verifier key of {parts[0]}: the key ID {parts[1]} does not match the name and key");
            }

            return v;
        }

        /// <summary>The message a cosignature/v1 signs: "cosignature/v1\ntime T\n" and the checkpoint body.</summary>
        public static byte[] CosignedMessage(string checkpointBody, long timestamp) =>
            Encoding.UTF8.GetBytes("cosignature/v1\ntime " + timestamp.ToString(CultureInfo.InvariantCulture) + "\n" + checkpointBody);

        /// <summary>Verifies a signature's bytes (after the key ID) over a note text.</summary>
        public bool Verify(string text, byte[] signature)
        {
            ArgumentNullException.ThrowIfNull(signature);
            if (Type == NoteSigner.Ed25519)
            {
                return signature.Length == 64 && SignatureAlgorithm.Ed25519.Verify(_key, Encoding.UTF8.GetBytes(text), signature);
            }

            if (signature.Length != 72)
            {
                return false;
            }

            var ts = BinaryPrimitives.ReadInt64BigEndian(signature);
            return ts >= 0 && SignatureAlgorithm.Ed25519.Verify(_key, CosignedMessage(text, ts), signature.AsSpan(8));
        }

        internal static void CheckName(string name)
        {
            if (string.IsNullOrEmpty(name) || name.Contains('+', StringComparison.Ordinal))
            {
                throw new FormatException($"key name '{name}': empty or with a plus sign");
            }

            foreach (var ch in name)
            {
                if (char.IsWhiteSpace(ch) || char.IsControl(ch))
                {
                    throw new FormatException($"key name '{name}': contains a space or control character");
                }
            }
        }
    }
}
