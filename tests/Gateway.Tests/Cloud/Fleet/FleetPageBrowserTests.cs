using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Gateway.Cloud.Storage;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Simulation;
using Gateway.Tests.Codec;
using Gateway.Tests.Simulation;
using Gateway.Virtual.Mqtt;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Cloud.Fleet
{
    /// <summary>
    /// The fleet page in a real browser: a simulated typhoon flood goes through a real mosquitto into the receiver
    /// process (<c>cloud run</c>), <c>cloud serve</c> serves the page over the database that receiver is filling, and
    /// the system's Chromium (Debian <c>chromium</c>, driven by Playwright) shows it. The alarm list is open before
    /// the flood starts; the first alarm must appear on it by the page's own refresh, within the refresh interval of
    /// reaching the database; the gateway page must draw its chart with the received readings in it.
    /// </summary>
    public sealed class FleetPageBrowserTests : IDisposable
    {
        private const string Chromium = "/usr/bin/chromium";
        private const int RefreshSeconds = 2;

        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-fleet-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly MosquittoBroker _broker;

        public FleetPageBrowserTests(ITestOutputHelper output)
        {
            _out = output;
            _broker = new MosquittoBroker(seed: 17);
            _broker.Start();
        }

        public void Dispose()
        {
            _broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        [Fact]
        public async Task An_alarm_of_a_simulated_flood_appears_on_the_live_page_within_the_refresh_interval_and_the_gateway_page_draws_its_chart()
        {
            Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (./scripts/setup.sh, or apt-get install chromium)");
            var options = new SimOptions
            {
                Gateways = 2, Days = 7, Transport = "cellular", Broker = $"{_broker.Host}:{_broker.Port}",
                BrokerUser = _broker.Username, BrokerPassword = _broker.Password, OutDir = _dir, ReceiverCommand = BrokerSimulationTests.CliCommand(),
            };
            var clock = Stopwatch.StartNew();
            using var sim = new Gateway.Simulation.Simulation(options); // the receiver process is up and its database exists
            _out.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: receiver ready");
            var db = Path.Combine(_dir, "received.db");
            using var serve = StartServe(db);
            using var stopServe = new KillAtEnd(serve); // also when an assertion fails before the end
            var url = ReadyUrl(serve);
            _out.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: page served at {url}");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = new[] { "--no-sandbox" } });
            _out.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: browser started");
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            var response = await page.GotoAsync(url + "alarms?lang=en");
            Assert.Equal(200, response!.Status);
            Assert.Equal(0, await page.Locator("td.alarm").CountAsync()); // nothing raised before the flood

            // The flood runs; the test watches the database the receiver writes and the page, which only its own refresh reloads.
            var run = Task.Run(() => sim.Run());
            var inDatabaseAt = await WhenAsync(() => FirstAlarmStored(db), TimeSpan.FromSeconds(60), run);
            Assert.True(inDatabaseAt is not null, "the simulated flood raised an alarm that the receiver stored");
            var onPageAt = await WhenAsync(async () => await SafeCount(page, "td.alarm") > 0, TimeSpan.FromSeconds(RefreshSeconds + 8), null);
            Assert.True(onPageAt is not null, $"the alarm stored at {inDatabaseAt:O} did not appear on the open alarm page (refresh {RefreshSeconds} s)");
            var delay = (onPageAt!.Value - inDatabaseAt!.Value).TotalSeconds;
            _out.WriteLine($"alarm on the page {delay:0.00} s after it reached the database (refresh {RefreshSeconds} s)");
            Assert.True(delay <= RefreshSeconds + 2.0, $"the alarm appeared {delay:0.0} s after it was stored: more than the refresh interval ({RefreshSeconds} s) and a page load");
            Assert.Contains("standby level", await page.Locator("#alarms").InnerTextAsync(), StringComparison.Ordinal);
            await run;
            _out.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: simulation done");

            // The gateway page: the chart is an SVG with the received readings drawn in it.
            var logs = Path.Combine(CodecPaths.RepoRoot, ".build", "test-logs");
            Directory.CreateDirectory(logs);
            await page.GotoAsync(url + "gateway/1000?lang=en");
            var chart = page.Locator("#chart svg");
            Assert.Equal(1, await chart.CountAsync());
            var box = await chart.BoundingBoxAsync();
            Assert.True(box is { Width: > 300, Height: > 150 }, "the chart is drawn at a readable size");
            var points = 0;
            foreach (var color in new[] { "#111111", "#ff7f0e" }) // received readings, flagged ones
            {
                // The main panel's dots (a zoom panel around the alarms, when drawn, repeats some of them below it).
                var path = page.Locator($"#chart svg path[stroke='{color}']").First;
                points += await page.Locator($"#chart svg path[stroke='{color}']").CountAsync() == 0 ? 0 : (await path.GetAttributeAsync("d") ?? string.Empty).Count(c => c == 'M');
            }

            using (var store = new SqliteReceiverStore(db))
            {
                var level = store.QueryReadings(1000, long.MinValue / 2, long.MaxValue / 2).Count(r => r.Channel == (byte)ChannelId.WaterLevelMillimeters);
                _out.WriteLine($"chart: {points} reading dots; {level} water level readings stored");
                Assert.True(points > 100 && points == level, $"the chart draws every stored water-level reading ({points} dots, {level} readings)");
            }

            Assert.True(await page.Locator("#chart svg line[stroke='#d62728']").CountAsync() > 0, "the chart marks the alarms");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(logs, "fleet-gateway.png"), FullPage = true });

            await page.GotoAsync(url + "?lang=en");
            Assert.Equal(2, await page.Locator("#fleet tr").CountAsync() - 1);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(logs, "fleet.png"), FullPage = true });
            await page.SetViewportSizeAsync(390, 844); // a phone
            await page.GotoAsync(url + "?lang=ja");
            Assert.Contains("観測局", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(logs, "fleet-phone-ja.png"), FullPage = true });

            serve.Kill(entireProcessTree: true);
        }

        /// <summary>Kills a process (and its children) when disposed, unless it has ended.</summary>
        private sealed class KillAtEnd(Process process) : IDisposable
        {
            public void Dispose()
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                }
            }
        }

        private static Process StartServe(string db)
        {
            var cli = BrokerSimulationTests.CliCommand();
            var psi = new ProcessStartInfo(cli[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in cli.Skip(1).Concat(new[] { "cloud", "serve", "--db", "sqlite:" + db, "--http", "127.0.0.1:0", "--as-of", "newest", "--refresh", RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--for", "300" }))
            {
                psi.ArgumentList.Add(a);
            }

            var process = Process.Start(psi)!;
            process.ErrorDataReceived += (_, e) =>
            {
                lock (ServeErrors)
                {
                    ServeErrors.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            return process;
        }

        private static readonly System.Text.StringBuilder ServeErrors = new();

        private static string ReadyUrl(Process serve)
        {
            var read = serve.StandardOutput.ReadLineAsync();
            Assert.True(read.Wait(TimeSpan.FromSeconds(30)) && read.Result is not null, "cloud serve printed its ready line: " + ServeErrors);
            using var doc = JsonDocument.Parse(read.Result!);
            return doc.RootElement.GetProperty("url").GetString()!;
        }

        /// <summary>True once an alarm event is committed in the receiver's database (read-only: the receiver keeps writing).</summary>
        private static bool FirstAlarmStored(string db)
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT value FROM readings WHERE channel = " + (int)ChannelId.EventCode;
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                if (EventCodes.IsAlarmKind(EventCodes.KindOf(reader.GetInt32(0))))
                {
                    return true;
                }
            }

            return false;
        }

        private static async Task<int> SafeCount(IPage page, string selector)
        {
            try
            {
                return await page.Locator(selector).CountAsync();
            }
            catch (PlaywrightException)
            {
                return 0; // the page was reloading
            }
        }

        /// <summary>Polls until the condition holds (returns when), the time is up or <paramref name="run"/> ended without it (null).</summary>
        private static async Task<DateTime?> WhenAsync(Func<Task<bool>> condition, TimeSpan limit, Task? run)
        {
            var end = DateTime.UtcNow + limit;
            while (DateTime.UtcNow < end)
            {
                var ended = run is { IsCompleted: true };
                if (await condition())
                {
                    return DateTime.UtcNow;
                }

                if (ended)
                {
                    await run!; // surfaces the run's failure
                    return null;
                }

                await Task.Delay(100);
            }

            return null;
        }

        private static Task<DateTime?> WhenAsync(Func<bool> condition, TimeSpan limit, Task? run) => WhenAsync(() => Task.FromResult(condition()), limit, run);
    }
}
