using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;

namespace Gateway.Cloud.Transparency
{
    /// <summary>
    /// The log's side of C2SP tlog-witness: POSTs a signed checkpoint with the consistency proof from the size the
    /// witness holds to <c>URL/add-checkpoint</c>, learns that size from a 409 answer, and returns the witness's
    /// cosignature lines that verify against its configured key (others are ignored).
    /// </summary>
    public sealed class WitnessClient
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

        /// <summary>A witness at <paramref name="url"/> (the submission prefix) with its verifier key.</summary>
        public WitnessClient(Uri url, NoteVerifier key)
        {
            Url = url;
            Key = key;
        }

        /// <summary>The submission prefix.</summary>
        public Uri Url { get; }

        /// <summary>The witness's cosignature key.</summary>
        public NoteVerifier Key { get; }

        /// <summary>The size this witness last cosigned, as far as the log knows (learnt from its answers).</summary>
        public long KnownSize { get; private set; }

        /// <summary>The last answer that was not a cosignature, in words (null after a success).</summary>
        public string? LastError { get; private set; }

        /// <summary>
        /// Asks for a cosignature; <paramref name="consistency"/> gives the proof from an old size to the checkpoint's.
        /// Returns the verified cosignature lines, or an empty list (see <see cref="LastError"/>).
        /// </summary>
        public IReadOnlyList<NoteSignature> Cosign(SignedCheckpoint checkpoint, Func<long, IReadOnlyList<byte[]>> consistency)
        {
            ArgumentNullException.ThrowIfNull(checkpoint);
            ArgumentNullException.ThrowIfNull(consistency);
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var old = Math.Min(KnownSize, checkpoint.Checkpoint.Size);
                var body = new StringBuilder("old ").Append(old.ToString(CultureInfo.InvariantCulture)).Append('\n');
                if (old > 0)
                {
                    foreach (var h in consistency(old))
                    {
                        body.Append(Convert.ToBase64String(h)).Append('\n');
                    }
                }

                body.Append('\n').Append(checkpoint.Note());
                HttpResponseMessage response;
                string text;
                try
                {
                    using var content = new StringContent(body.ToString(), new UTF8Encoding(false));
                    content.Headers.ContentType = null;
                    response = Http.PostAsync(new Uri(Url, "add-checkpoint"), content).GetAwaiter().GetResult();
                    text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is HttpRequestException or System.Threading.Tasks.TaskCanceledException or InvalidOperationException)
                {
                    LastError = $"{Url}: {ex.Message}";
                    return Array.Empty<NoteSignature>();
                }

                using (response)
                {
                    if (response.StatusCode == HttpStatusCode.Conflict && response.Content.Headers.ContentType?.MediaType == "text/x.tlog.size"
                        && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size != old && size <= checkpoint.Checkpoint.Size)
                    {
                        KnownSize = size; // then ask again from the size it holds
                        continue;
                    }

                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        LastError = $"{Url}: {(int)response.StatusCode} {text.Trim()}";
                        return Array.Empty<NoteSignature>();
                    }
                }

                var lines = new List<NoteSignature>();
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    try
                    {
                        var s = SignedNote.ParseLine(line);
                        if (s.Name == Key.Name && s.KeyId == Key.KeyId && Key.Verify(checkpoint.Text, s.Signature))
                        {
                            lines.Add(s);
                        }
                    }
                    catch (FormatException)
                    {
                    }
                }

                if (lines.Count == 0)
                {
                    LastError = $"{Url}: no cosignature of {Key.Name} verified in the answer";
                    return lines;
                }

                KnownSize = checkpoint.Checkpoint.Size;
                LastError = null;
                return lines;
            }

            LastError = $"{Url}: the witness keeps answering with another size";
            return Array.Empty<NoteSignature>();
        }
    }
}
