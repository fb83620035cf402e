using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Gateway.Cloud.Commissioning;
using Gateway.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Cloud.Fleet
{
    /// <summary>
    /// The read-only fleet page over a receiver database, served by Kestrel (ASP.NET Core, part of the .NET shared
    /// framework: nothing to install). GET and HEAD only (anything else: 405); with an access token, every request
    /// must carry it (<c>Authorization: Bearer</c>, or the cookie that opening a page with <c>?token=</c> once sets).
    /// Each request reads the database afresh on the server's own connections, so it never waits on the receiver's.
    /// </summary>
    /// <remarks>
    /// Pages: <c>/</c> (the fleet), <c>/gateway/{id}</c> (status, timeline chart, alarms, commissioning record; <c>?days=</c>
    /// sets the chart's window, default 14), <c>/alarms</c>; downloads <c>/fleet.csv</c>, <c>/fleet.json</c>, <c>/alarms.csv</c>,
    /// <c>/alarms.json</c>, <c>/gateway/{id}/readings.csv</c>. <c>?lang=ja|en</c> picks the language.
    /// </remarks>
    public sealed class FleetServer : IDisposable
    {
        /// <summary>The cookie that carries the access token after <c>?token=</c>.</summary>
        public const string TokenCookie = "gateway_fleet_token";

        private const string Csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

        private readonly FleetServerSettings _settings;
        private readonly IReceiverStore _store;
        private readonly CommissioningStore _commissioning;
        private readonly Func<long>? _nowMs;
        private readonly object _gate = new();
        private readonly byte[]? _tokenHash;
        private WebApplication? _app;

        /// <summary>
        /// Creates the server over the database <paramref name="dbSpec"/> names (opened here on its own connections;
        /// it must exist), with <paramref name="nowMs"/> as the clock stale flags are measured against (null: the
        /// newest arrival in the database, for a replayed or simulated deployment).
        /// </summary>
        public FleetServer(FleetServerSettings settings, string dbSpec, Func<long>? nowMs)
        {
            ArgumentNullException.ThrowIfNull(settings);
            _settings = settings;
            _nowMs = nowMs;
            _store = ReceiverStoreFactory.Open(dbSpec, mustExist: true);
            _commissioning = new CommissioningStore(dbSpec);
            _tokenHash = settings.Token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(settings.Token));
        }

        /// <summary>The address the page is served at, once started (e.g. http://127.0.0.1:8080/).</summary>
        public Uri? Url { get; private set; }

        /// <summary>Pages and downloads answered (any status), since started.</summary>
        public long Requests => System.Threading.Interlocked.Read(ref _requests);

        private long _requests;

        /// <summary>Starts listening; a port already taken or an address this host does not have is a <see cref="ConfigurationException"/>.</summary>
        public void Start()
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = Array.Empty<string>() });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Listen(_settings.EndPoint);
            });
            var app = builder.Build();
            app.Use(Guard);
            app.MapGet("/", (HttpContext c) => Page(c, (v, t) => FleetPages.Fleet(v, t, _settings.RefreshSeconds)));
            app.MapGet("/alarms", (HttpContext c) => Page(c, (v, t) => FleetPages.Alarms(v, t, _settings.RefreshSeconds)));
            app.MapGet("/gateway/{id}", (HttpContext c, string id) => GatewayPage(c, id));
            app.MapGet("/gateway/{id}/readings.csv", (HttpContext c, string id) => Readings(c, id));
            app.MapGet("/fleet.csv", () => Download(FleetExport.FleetCsv, "text/csv", "fleet.csv"));
            app.MapGet("/fleet.json", () => Download(FleetExport.FleetJson, "application/json", "fleet.json"));
            app.MapGet("/alarms.csv", () => Download(FleetExport.AlarmsCsv, "text/csv", "alarms.csv"));
            app.MapGet("/alarms.json", () => Download(FleetExport.AlarmsJson, "application/json", "alarms.json"));
            app.MapGet(CheckpointPath, Checkpoint);
            try
            {
                app.StartAsync().GetAwaiter().GetResult();
            }
            catch (System.IO.IOException ex)
            {
                throw new ConfigurationException($"--http {_settings.EndPoint}: cannot listen there: {ex.Message}", ex);
            }

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            Url = new Uri((address ?? $"http://{_settings.EndPoint}").Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
            _app = app;
        }

        /// <summary>Stops listening and closes the database connections.</summary>
        public void Dispose()
        {
            if (_app is not null)
            {
                using (var stopping = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(5)))
                {
                    _app.StopAsync(stopping.Token).GetAwaiter().GetResult();
                }

                _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
                _app = null;
            }

            _commissioning.Dispose();
            _store.Dispose();
        }

        /// <summary>Read-only, token, and the headers every answer carries.</summary>
        private async Task Guard(HttpContext c, Func<Task> next)
        {
            System.Threading.Interlocked.Increment(ref _requests);
            var h = c.Response.Headers;
            h["Content-Security-Policy"] = Csp;
            h["X-Content-Type-Options"] = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            h["Cache-Control"] = "no-store";
            if (!HttpMethods.IsGet(c.Request.Method) && !HttpMethods.IsHead(c.Request.Method))
            {
                c.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                h["Allow"] = "GET, HEAD";
                await c.Response.WriteAsync("read-only: GET and HEAD only\n").ConfigureAwait(false);
                return;
            }

            // The log's signed checkpoint is public by design (anyone may fetch and check it): no token asked.
            if (_tokenHash is not null && c.Request.Path != CheckpointPath)
            {
                var offered = c.Request.Query["token"].FirstOrDefault();
                if (offered is not null && Matches(offered))
                {
                    // Opened once with ?token=: keep it in a cookie and show the address without it.
                    c.Response.Cookies.Append(TokenCookie, offered, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
                    var rest = string.Join('&', c.Request.Query.Where(q => q.Key != "token").Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value.ToString())));
                    c.Response.Redirect(c.Request.Path + (rest.Length > 0 ? "?" + rest : string.Empty));
                    return;
                }

                var bearer = c.Request.Headers.Authorization.FirstOrDefault();
                var presented = bearer is not null && bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? bearer[7..].Trim() : c.Request.Cookies[TokenCookie];
                if (presented is null || !Matches(presented))
                {
                    c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    h["WWW-Authenticate"] = "Bearer";
                    c.Response.ContentType = "text/html; charset=utf-8";
                    var t = Labels(c);
                    await c.Response.WriteAsync(FleetPages.Message(t, "401", t.Japanese
                        ? "アクセストークンが必要です: アドレスに ?token=トークン を付けて開いてください。"
                        : "An access token is needed: open the address with ?token=YOUR-TOKEN once.")).ConfigureAwait(false);
                    return;
                }
            }

            await next().ConfigureAwait(false);
        }

        private bool Matches(string offered) => CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(offered)), _tokenHash);

        private static FleetLabels Labels(HttpContext c) => FleetLabels.Pick(c.Request.Query["lang"].FirstOrDefault(), c.Request.Headers.AcceptLanguage.FirstOrDefault());

        private FleetView View()
        {
            lock (_gate)
            {
                return FleetView.Build(_store, _commissioning, _nowMs?.Invoke());
            }
        }

        private IResult Page(HttpContext c, Func<FleetView, FleetLabels, string> render) =>
            Results.Content(render(View(), Labels(c)), "text/html; charset=utf-8");

        private IResult GatewayPage(HttpContext c, string id)
        {
            var t = Labels(c);
            var view = View();
            var g = uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId) ? view.Gateways.FirstOrDefault(x => x.DeviceId == deviceId) : null;
            if (g is null)
            {
                return Results.Content(FleetPages.Message(t, "404", (t.Japanese ? "観測局がありません: " : "No such gateway: ") + id), "text/html; charset=utf-8", Encoding.UTF8, 404);
            }

            var days = double.TryParse(c.Request.Query["days"].FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0.01 and <= 3650 ? d : 14;
            Charts.TimelineData? timeline;
            lock (_gate)
            {
                timeline = GatewayTimeline.Build(_store, deviceId, days, (t.Japanese ? "観測局 " : "Gateway ") + deviceId.ToString(CultureInfo.InvariantCulture));
            }

            return Results.Content(FleetPages.Gateway(view, g, timeline, t, _settings.RefreshSeconds), "text/html; charset=utf-8");
        }

        private IResult Readings(HttpContext c, string id)
        {
            if (!uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId))
            {
                return Results.NotFound();
            }

            var w = new System.IO.StringWriter(CultureInfo.InvariantCulture);
            lock (_gate)
            {
                FleetExport.ReadingsCsv(_store, deviceId, w);
            }

            c.Response.Headers.ContentDisposition = $"attachment; filename=\"readings-{deviceId}.csv\"";
            return Results.Text(w.ToString(), "text/csv; charset=utf-8");
        }

        /// <summary>Where the transparency log's latest signed checkpoint is served (C2SP tlog-checkpoint, as text).</summary>
        public const string CheckpointPath = "/log/checkpoint";

        /// <summary>The latest signed checkpoint of the transparency log (404 until the receiver has signed one).</summary>
        private IResult Checkpoint()
        {
            lock (_gate)
            {
                var latest = _store is SqlReceiverStore sql ? sql.ReadCheckpoints(1) : Array.Empty<string>();
                return latest.Count == 0
                    ? Results.Text("no signed checkpoint yet\n", "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound)
                    : Results.Text(latest[0], "text/plain; charset=utf-8", Encoding.UTF8);
            }
        }

        private IResult Download(Func<FleetView, string> render, string type, string name) =>
            Results.File(Encoding.UTF8.GetBytes(render(View())), type + "; charset=utf-8", name);
    }
}
