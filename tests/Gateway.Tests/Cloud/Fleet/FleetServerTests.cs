using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using Gateway.Cloud;
using Gateway.Cloud.Fleet;
using Gateway.Cloud.Storage;
using Gateway.Core.Sensing;
using Gateway.Tests.Simulation;
using Xunit;

namespace Gateway.Tests.Cloud.Fleet
{
    /// <summary>
    /// The fleet page's server and view over a small receiver database written here: what each gateway shows (open
    /// alarms, stale, cadence mode), read-only, the access token, the loopback rule, the downloads.
    /// </summary>
    public sealed class FleetServerTests : IDisposable
    {
        private const long Day = 86_400_000L;
        private const long T0 = 1_788_220_800_000L; // 2026-09-01T00:00:00Z

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-fleetsrv-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly string _db;

        public FleetServerTests()
        {
            Directory.CreateDirectory(_dir);
            _db = "sqlite:" + Path.Combine(_dir, "received.db");
            using var store = ReceiverStoreFactory.Open(_db);
            var rows = new System.Collections.Generic.List<ReceivedReading>();
            uint seq = 1;
            for (var i = 0; i < 30; i++)
            {
                // Gateway 7 sends as it measures, every 2 min; gateway 9 was last heard two days ago.
                rows.Add(new ReceivedReading(7, seq++, (byte)ChannelId.WaterLevelMillimeters, T0 + (i * 120_000L), 1500 + (i * 10), 0, T0 + (i * 120_000L) + 5_000, "cellular"));
            }

            rows.Add(new ReceivedReading(7, seq++, (byte)ChannelId.EventCode, T0 + 1_000, Event(EventKind.CadenceChanged, AlarmLevel.None, 120), 0, T0 + 6_000, "cellular"));
            rows.Add(new ReceivedReading(7, seq++, (byte)ChannelId.EventCode, T0 + 600_000, Event(EventKind.AlarmRaised, AlarmLevel.Standby, 155), 0, T0 + 605_000, "cellular"));
            rows.Add(new ReceivedReading(7, seq++, (byte)ChannelId.EventCode, T0 + 1_800_000, Event(EventKind.AlarmRaised, AlarmLevel.Caution, 170), 0, T0 + 1_805_000, "cellular"));
            rows.Add(new ReceivedReading(7, seq++, (byte)ChannelId.EventCode, T0 + 3_000_000, Event(EventKind.AlarmCleared, AlarmLevel.Caution, 165), 0, T0 + 3_005_000, "cellular"));
            rows.Add(new ReceivedReading(7, seq++, (byte)ChannelId.BatteryMillivolts, T0 + 3_000_000, 3712, 0, T0 + 3_005_000, "cellular"));
            rows.Add(new ReceivedReading(9, 1, (byte)ChannelId.WaterLevelMillimeters, T0 - (2 * Day), 800, 0, T0 - (2 * Day) + 60_000, "lora"));
            store.StoreReadings(rows);
            store.StoreChainEvent(new ChainEvent(9, T0 - Day, "lora", "forged_or_altered", 4, 1, "tag does not verify", 2, "gw/9/up"));

            // Gateway 7 was commissioned on site: its record came in verified, as the receiver takes it.
            var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
            var record = new Gateway.Control.Commissioning.CommissioningRecord
            {
                DeviceId = 7, KeyId = 1, TimeMs = T0 - Day, LinkTransport = Gateway.Control.Commissioning.CommissioningRecord.LinkLora, SignalA = -97, SignalBTenths = 65,
                RoundTripMs = 2100, Flags = Gateway.Control.Commissioning.CommissioningRecord.FlagSelfTestPassed | Gateway.Control.Commissioning.CommissioningRecord.FlagLinkOk |
                    Gateway.Control.Commissioning.CommissioningRecord.FlagStorageOk,
            };
            var bytes = new byte[Gateway.Control.Commissioning.CommissioningRecord.MaxBytes];
            var n = record.Encode(new Gateway.Virtual.Security.HostHmacSha256(1, key), bytes, 0);
            using var commissioning = new Gateway.Cloud.Commissioning.CommissioningStore(_db);
            var verdict = new Gateway.Cloud.Commissioning.CommissioningVerifier(new Gateway.Cloud.Receiver.KeyRing().Add(7, 1, key), commissioning)
                .Ingest("lora", bytes.AsSpan(0, n).ToArray(), T0 - Day + 60_000);
            Assert.True(verdict.Accepted, verdict.Message);
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private static void SetMode(string path, UnixFileMode mode)
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }
        }

        private static int Event(EventKind kind, AlarmLevel level, int number) => ((int)kind << 24) | ((int)level << 16) | number;

        private long Now => T0 + 7_200_000;

        [Fact]
        public void The_view_shows_open_alarms_stale_gateways_cadence_mode_battery_and_refused_forgeries()
        {
            using var store = ReceiverStoreFactory.Open(_db);
            using var commissioning = new Gateway.Cloud.Commissioning.CommissioningStore(_db);
            var view = FleetView.Build(store, commissioning, Now);
            var seven = view.Gateways.Single(g => g.DeviceId == 7);
            var nine = view.Gateways.Single(g => g.DeviceId == 9);

            // Standby stays open; caution was raised and cleared.
            Assert.Equal(new[] { AlarmLevel.Standby }, seven.OpenAlarms.Select(a => a.Level));
            Assert.Equal(3, view.Alarms.Count(a => a.DeviceId == 7)); // raised, raised, cleared; the cadence event is not an alarm
            Assert.False(view.Alarms.Single(a => a.Level == AlarmLevel.Caution && a.Raised).Open);
            Assert.Equal(3712, seven.BatteryMillivolts);
            Assert.Equal("lorawan RSSI -97 dBm SNR margin 6.5 dB", seven.Signal);
            Assert.True(Assert.Single(seven.Commissioning).Passed);
            Assert.Null(nine.Signal);
            Assert.Equal(120, seven.CadenceSeconds);
            Assert.Equal(CadenceModeSeen.Rapid, seven.Mode);
            Assert.False(seven.Stale);
            Assert.True(seven.Late); // silent for an hour at a 2-minute cadence
            Assert.True(nine.Stale);
            Assert.Equal(2, nine.Chain.Rejected);
            Assert.True(nine.Chain.Ok);

            // Gateway 7's readings were written straight into the database, without the receiver: its audit trail counts
            // no accepted batch and the log holds none. One accepted batch recorded behind the receiver's back shows.
            Assert.True(seven.Log.Ok);
            store.StoreChainEvent(new ChainEvent(7, T0, "cellular", "accepted", 1, 1, "", 1, null));
            Assert.Equal(new LogIntegrity(0, 1), FleetView.Build(store, null, Now).Gateways.Single(g => g.DeviceId == 7).Log);

            // A batch the receiver accepts is audited and logged in one transaction: 1 of 1.
            var key11 = Enumerable.Range(60, 32).Select(i => (byte)i).ToArray();
            var encoder = new Gateway.Core.Codec.BatchEncoder(new Gateway.Virtual.Security.HostHmacSha256(1, key11), 11, 1, 256);
            var buf = new byte[256];
            var len = encoder.Encode(new[] { new Reading(ChannelId.WaterLevelMillimeters, T0, 900, ReadingStatus.Ok) }, new uint[] { 1 }, 0, 1, 256, 8, buf, 0);
            encoder.Commit();
            var outcome = new Gateway.Cloud.Receiver.CloudReceiver(store, new Gateway.Cloud.Receiver.KeyRing().Add(11, 1, key11))
                .Ingest("cellular", buf.AsSpan(0, len).ToArray(), T0 + 1_000, "gw/11/up");
            Assert.True(outcome.Accepted, outcome.Message);
            Assert.Equal(new LogIntegrity(1, 1), FleetView.Build(store, null, Now).Gateways.Single(g => g.DeviceId == 11).Log);

            // As of the newest arrival, nothing is late at gateway 7.
            var asOfNewest = FleetView.Build(store, null, null);
            Assert.False(asOfNewest.Gateways.Single(g => g.DeviceId == 7).Late);
        }

        [Fact]
        public async System.Threading.Tasks.Task The_page_is_read_only_and_serves_the_fleet_a_gateway_with_its_chart_the_alarms_and_the_downloads()
        {
            using var server = new FleetServer(FleetServerSettings.Parse("127.0.0.1:0", null, 5), _db, () => Now);
            server.Start();
            using var http = new HttpClient { BaseAddress = server.Url };

            var fleet = (await http.GetStringAsync("/?lang=en"));
            Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\">", fleet, StringComparison.Ordinal);
            Assert.Contains("STALE", fleet, StringComparison.Ordinal);
            Assert.Contains("standby level", fleet, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", fleet, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("はん濫注意水位", (await http.GetStringAsync("/alarms?lang=ja")), StringComparison.Ordinal);

            var gateway = (await http.GetStringAsync("/gateway/7"));
            Assert.Contains("<svg", gateway, StringComparison.Ordinal);
            Assert.Contains("standby ≥ 1.55 m", gateway, StringComparison.Ordinal); // the level where the gateway raised it
            Assert.Contains("<span class=\"good\">passed</span>", gateway, StringComparison.Ordinal); // the commissioning record
            Assert.Contains("RSSI -97 dBm", gateway, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/gateway/8")).StatusCode);

            var post = (await http.PostAsync("/", new StringContent("x")));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
            Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.DeleteAsync("/alarms.csv")).StatusCode);

            var csv = (await http.GetStringAsync("/fleet.csv")).Split('\n');
            Assert.StartsWith("device_id,stale,", csv[0], StringComparison.Ordinal);
            Assert.StartsWith("7,false,true,", csv[1], StringComparison.Ordinal);
            Assert.StartsWith("9,true,", csv[2], StringComparison.Ordinal);
            using var json = JsonDocument.Parse((await http.GetStringAsync("/fleet.json")));
            Assert.Equal(2, json.RootElement.GetProperty("gateways").GetArrayLength());
            using var alarms = JsonDocument.Parse((await http.GetStringAsync("/alarms.json")));
            Assert.Equal(3, alarms.RootElement.GetProperty("alarms").GetArrayLength());
            Assert.Equal(36, (await http.GetStringAsync("/gateway/7/readings.csv")).TrimEnd('\n').Split('\n').Length); // header and 35 rows
        }

        [Fact]
        public async System.Threading.Tasks.Task With_a_token_every_request_needs_it_and_opening_a_page_with_it_once_keeps_it_in_a_cookie()
        {
            var tokenFile = Path.Combine(_dir, "token");
            File.WriteAllText(tokenFile, "s3cret-token-for-the-town-42\n");
            SetMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using var server = new FleetServer(FleetServerSettings.Parse("127.0.0.1:0", tokenFile, 30), _db, () => Now);
            server.Start();
            using var anonymous = new HttpClient { BaseAddress = server.Url };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/fleet.csv?token=wrong-token-wrong-token")).StatusCode);

            using var bearer = new HttpClient { BaseAddress = server.Url };
            bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-token-for-the-town-42");
            Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/fleet.json")).StatusCode);

            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
            using var browser = new HttpClient(handler) { BaseAddress = server.Url };
            var first = (await browser.GetAsync("/gateway/7?token=s3cret-token-for-the-town-42&lang=ja"));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("/gateway/7?lang=ja", first.RequestMessage!.RequestUri!.PathAndQuery); // redirected without the token
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/alarms")).StatusCode);

            // The transparency log's signed checkpoint is public: served without the token, 404 until one is signed.
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(FleetServer.CheckpointPath)).StatusCode);
            const string note = "town.example/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 town.example/log c2lnbmF0dXJl\n";
            using (var store = (SqlReceiverStore)ReceiverStoreFactory.Open(_db))
            {
                store.SaveCheckpoint(3, Now, note);
            }

            var published = await anonymous.GetAsync(FleetServer.CheckpointPath);
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            Assert.Equal(note, await published.Content.ReadAsStringAsync());
        }

        [Theory]
        [InlineData("0.0.0.0:8080", null, "not a loopback address")]
        [InlineData("192.0.2.7:8080", null, "needs an access token")]
        [InlineData("example.org:8080", null, "not an IP address")]
        [InlineData("8080", null, null)]
        [InlineData("127.0.0.1", null, "HOST:PORT")]
        [InlineData("127.0.0.1:http", null, "HOST:PORT")]
        [InlineData("127.0.0.1:8080", "missing-token-file", "no such file")]
        public void Bad_addresses_and_token_files_are_refused_with_one_line(string address, string? tokenFile, string? problem)
        {
            if (problem is null)
            {
                Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), FleetServerSettings.Parse(address, tokenFile, 30).EndPoint); // a bare port is this host
                return;
            }

            var ex = Assert.Throws<ConfigurationException>(() => FleetServerSettings.Parse(address, tokenFile is null ? null : Path.Combine(_dir, tokenFile), 30));
            Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', ex.Message);
        }

        [Fact]
        public void A_short_or_shared_token_file_is_refused()
        {
            var file = Path.Combine(_dir, "short");
            File.WriteAllText(file, "abc\n");
            SetMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Contains("at least 16", Assert.Throws<ConfigurationException>(() => FleetServerSettings.Parse("0.0.0.0:0", file, 30)).Message, StringComparison.Ordinal);
            File.WriteAllText(file, "a-long-enough-token-0123456789\n");
            SetMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Contains("chmod 600", Assert.Throws<ConfigurationException>(() => FleetServerSettings.Parse("0.0.0.0:0", file, 30)).Message, StringComparison.Ordinal);
        }

        [Fact]
        public async System.Threading.Tasks.Task Cloud_serve_on_a_non_loopback_address_without_a_token_exits_2_with_one_line()
        {
            var cli = BrokerSimulationTests.CliCommand();
            var psi = new ProcessStartInfo(cli[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in cli.Skip(1).Concat(new[] { "cloud", "serve", "--db", _db, "--http", "0.0.0.0:18999" }))
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(30_000));
            Assert.Equal(2, p.ExitCode);
            Assert.Equal(string.Empty, await stdout);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: --http 0.0.0.0:18999: not a loopback address", line, StringComparison.Ordinal);
        }
    }
}
