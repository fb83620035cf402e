using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Broker
{
    /// <summary>
    /// Issue 13: "the receiver down for 10 minutes while 1,000 gateways publish: nothing dropped by the broker", on the
    /// shipped configuration, with the time compressed: 1,000 gateway connections (TLS, each with its own account)
    /// publish what 10 minutes at the firmware's worst-case rate produce while the receiver's persistent session is
    /// offline, the broker is restarted in between (its queue must come back from disk), and then the receiver
    /// reconnects under the same client id and must get every message.
    /// </summary>
    [Collection(Gateway.Tests.Support.ManySocketsCollection.Name)]
    public sealed class ReceiverOutageTests
    {
        /// <summary>Gateways of a town.</summary>
        public const int Gateways = 1000;

        /// <summary>
        /// Messages per gateway in 10 minutes at the firmware's ceiling: in the rapid cadence a send run every 2 minutes
        /// (<c>SensingSettings.RapidIntervalMs</c>, above <c>NodeSettings.MinSendIntervalMs</c>) with at most 8 batches a
        /// run (<c>UplinkScheduler.MaxSendsPerRun</c>): 5 runs × 8. (tools/broker/README.md sizes the queue for 24 hours
        /// at the realistic 2 batches a run.)
        /// </summary>
        public const int MessagesPerGateway = 40;

        /// <summary>Every message as large as the largest batch (<c>NodeSettings.MaxBatchBytes</c>).</summary>
        public const int BatchBytes = 1024;

        private readonly ITestOutputHelper _out;

        public ReceiverOutageTests(ITestOutputHelper output) => _out = output;

        [Fact]
        public async Task The_shipped_broker_keeps_every_uplink_of_1000_gateways_through_a_10_minute_receiver_outage_and_a_broker_restart()
        {
            using var broker = new FieldBroker();
            var ids = Enumerable.Range(1, Gateways).Select(i => (uint)(50_000 + i)).ToArray();
            var passwords = broker.AddGatewaysInBulk(ids);
            broker.Broker.Reload();
            using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(broker.CaFile));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var total = Stopwatch.StartNew();

            await using (var probe = await RawMqttPublisher.ConnectAsync(broker.Broker.Host, broker.GatewayPort, ca, "gw-probe", ids[0].ToString(CultureInfo.InvariantCulture), passwords[ids[0]], cts.Token))
            {
                // The receiver's persistent session: subscribed (proven with a probe), then gone. Before the thousand sockets:
                // libmosquitto's select() loop cannot use a file descriptor past 1023.
                var probeSeen = new ManualResetEventSlim();
                using (var rx = broker.Receiver("gateway-cloud-town", start: false))
                {
                    rx.MessageReceived += m => probeSeen.Set();
                    rx.Subscribe("gw/+/up");
                    rx.Start(broker.Broker.Host, broker.ReceiverPort);
                    Assert.True(rx.WaitConnected(TimeSpan.FromSeconds(10)));
                    var sw = Stopwatch.StartNew();
                    while (!probeSeen.Wait(100))
                    {
                        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "receiver subscribed");
                        await probe.PublishAsync($"gw/{ids[0]}/up", new byte[] { 0 }, cts.Token);
                    }
                }
            }

            // 1,000 gateways connect over TLS on the gateways' listener, each with its own account.
            var gateways = new RawMqttPublisher[Gateways];
            using (var gate = new SemaphoreSlim(64))
            {
                await Task.WhenAll(Enumerable.Range(0, Gateways).Select(async i =>
                {
                    await gate.WaitAsync(cts.Token);
                    try
                    {
                        gateways[i] = await RawMqttPublisher.ConnectAsync(broker.Broker.Host, broker.GatewayPort, ca, "gw-" + ids[i], ids[i].ToString(CultureInfo.InvariantCulture), passwords[ids[i]], cts.Token);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            var connectMs = total.ElapsedMilliseconds;
            try
            {
                // The outage: every gateway publishes its 10 minutes' worth, each message acknowledged by the broker.
                var rssBefore = broker.Broker.ResidentBytes;
                var publish = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, Gateways).Select(async i =>
                {
                    await Task.Yield();
                    for (var k = 0; k < MessagesPerGateway; k++)
                    {
                        await gateways[i].PublishAsync($"gw/{ids[i]}/up", Batch(ids[i], k), cts.Token);
                    }
                }));
                publish.Stop();
                var rssQueued = broker.Broker.ResidentBytes;
                await Task.WhenAll(gateways.Select(g => g.DisposeAsync().AsTask()));
                gateways = Array.Empty<RawMqttPublisher>();

                // The broker restarts while the receiver is away: the queue is saved at SIGTERM and loaded at start.
                var restart = Stopwatch.StartNew();
                broker.Broker.Restart();
                restart.Stop();

                // The receiver comes back under the same client id and drains its session.
                var got = new ConcurrentDictionary<(uint, int), int>();
                var drain = Stopwatch.StartNew();
                using (var rx = broker.Receiver("gateway-cloud-town", start: false))
                {
                    rx.MessageReceived += m =>
                    {
                        if (m.Payload.Length == BatchBytes)
                        {
                            got.AddOrUpdate((BitConverter.ToUInt32(m.Payload, 0), BitConverter.ToInt32(m.Payload, 4)), 1, (_, n) => n + 1);
                        }
                    };
                    rx.Subscribe("gw/+/up");
                    rx.Start(broker.Broker.Host, broker.ReceiverPort);
                    var sw = Stopwatch.StartNew();
                    while (got.Count < Gateways * MessagesPerGateway && sw.Elapsed < TimeSpan.FromSeconds(60))
                    {
                        await Task.Delay(50);
                    }

                    drain.Stop();
                }

                var expected = Gateways * MessagesPerGateway;
                var missing = ids.SelectMany(id => Enumerable.Range(0, MessagesPerGateway).Where(k => !got.ContainsKey((id, k))).Select(k => $"{id}#{k}")).ToList();
                var figures = $"gateways {Gateways} (TLS, one account each) connected in {connectMs} ms; messages published {expected} " +
                    $"({expected * (long)BatchBytes / 1_000_000.0:F1} MB of payload) in {publish.ElapsedMilliseconds} ms, all acknowledged by the broker; " +
                    $"broker restart {restart.ElapsedMilliseconds} ms; received after the outage {got.Count} distinct ({got.Values.Sum()} with redeliveries) " +
                    $"in {drain.ElapsedMilliseconds} ms; missing {missing.Count}; broker RSS {rssBefore / 1_000_000.0:F1} MB before, " +
                    $"{rssQueued / 1_000_000.0:F1} MB with the queue ({(rssQueued - rssBefore) / (double)expected:F0} bytes a queued message); total {total.ElapsedMilliseconds} ms";
                _out.WriteLine(figures);
                Console.WriteLine("receiver outage: " + figures);
                Assert.True(missing.Count == 0, $"{missing.Count} messages dropped, e.g. {string.Join(", ", missing.Take(10))}; {figures}\n{Summary(broker.Log())}");
                Assert.DoesNotContain("dropped", broker.Log(), StringComparison.OrdinalIgnoreCase);
            }
            finally
            {
                await Task.WhenAll(gateways.Where(g => g != null).Select(g => g.DisposeAsync().AsTask()));
            }
        }

        private static byte[] Batch(uint id, int k)
        {
            var b = new byte[BatchBytes];
            BitConverter.TryWriteBytes(b.AsSpan(0, 4), id);
            BitConverter.TryWriteBytes(b.AsSpan(4, 4), k);
            new Random((int)id * 100 + k).NextBytes(b.AsSpan(8));
            return b;
        }

        /// <summary>The broker log's kinds of lines (numbers masked) with their counts.</summary>
        private static string Summary(string log) => string.Join("\n", log.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l.Length > 21 ? l[21..] : l, "[0-9]+", "N"))
            .GroupBy(l => l).OrderByDescending(g => g.Count()).Take(15).Select(g => $"{g.Count()} × {g.Key}"));
    }
}
