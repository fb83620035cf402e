using System;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;

namespace Gateway.Cloud.Transparency
{
    /// <summary>
    /// The witness's HTTP endpoint (HttpListener): <c>POST /add-checkpoint</c> (tlog-witness); anything else is 404.
    /// Request bodies over 64 KiB are refused (400).
    /// </summary>
    public sealed class WitnessServer : IDisposable
    {
        private const int MaxBody = 64 * 1024;
        private readonly HttpListener _listener = new();
        private readonly Witness _witness;
        private readonly Thread _thread;

        /// <summary>Listens on http://HOST:PORT/ (port 0 is not supported by HttpListener: give one).</summary>
        public WitnessServer(Witness witness, string host, int port)
        {
            _witness = witness;
            Prefix = $"http://{host}:{port}/";
            _listener.Prefixes.Add(Prefix);
            _listener.Start();
            _thread = new Thread(Loop) { IsBackground = true, Name = "witness-http" };
            _thread.Start();
        }

        /// <summary>The URL prefix served.</summary>
        public string Prefix { get; }

        /// <inheritdoc />
        public void Dispose()
        {
            _listener.Close();
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        private void Loop()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = _listener.GetContext();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                try
                {
                    Handle(ctx);
                }
                catch (Exception ex) when (ex is IOException or HttpListenerException or InvalidOperationException)
                {
                    // A client that went away: nothing to answer.
                }
                finally
                {
                    ctx.Response.Close();
                }
            }
        }

        private void Handle(HttpListenerContext ctx)
        {
            WitnessAnswer answer;
            if (ctx.Request.HttpMethod != "POST" || ctx.Request.Url?.AbsolutePath != "/add-checkpoint")
            {
                answer = new WitnessAnswer(404, "text/plain; charset=utf-8", "only POST /add-checkpoint\n");
            }
            else
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[8192];
                int n;
                while ((n = ctx.Request.InputStream.Read(chunk, 0, chunk.Length)) > 0 && buffer.Length <= MaxBody)
                {
                    buffer.Write(chunk, 0, n);
                }

                string body;
                try
                {
                    body = new UTF8Encoding(false, true).GetString(buffer.ToArray());
                }
                catch (DecoderFallbackException)
                {
                    body = string.Empty;
                }

                answer = buffer.Length > MaxBody || body.Length == 0
                    ? new WitnessAnswer(400, "text/plain; charset=utf-8", "body too large, empty or not UTF-8\n")
                    : _witness.AddCheckpoint(body);
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            ctx.Response.StatusCode = answer.Status;
            ctx.Response.ContentType = answer.ContentType;
            ctx.Response.ContentLength64 = bytes.Length;
            ctx.Response.OutputStream.Write(bytes);
        }
    }
}
