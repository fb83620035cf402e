using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Gateway.Bindings.Sim7080;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Downlink;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Core.Uplink;
using Gateway.Virtual.Flash;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Security;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Cellular
{
    /// <summary>
    /// Downlinks on a SIM7080G whose firmware refuses AT+SMCONF="SUBHEX": the cloud publishes every acknowledgement and
    /// command also as hex text on gw/{id}/ack/hex and gw/{id}/down/hex, the driver subscribes to those twins instead of
    /// the binary topics and decodes them. Real mosquitto, the real CloudReceiver and MqttReceiverService.
    /// </summary>
    public sealed class Sim7080HexDownlinkTests : IDisposable
    {
        private static readonly byte[] Key = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();

        /// <summary>Every byte the text URC cannot carry: NUL, CR, LF, quote, comma, 0xFF.</summary>
        private static readonly byte[] Hostile = { 0x00, 0x0D, 0x0A, 0x22, 0x2C, 0xFF, 0x41, 0x0D, 0x0A, 0x22, 0x00 };

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-cellhex-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly ITestOutputHelper _out;

        public Sim7080HexDownlinkTests(ITestOutputHelper output)
        {
            _out = output;
            Directory.CreateDirectory(_dir);
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private MqttReceiverService StartService(Sim7080Rig rig, SqliteReceiverStore store, string clientId)
        {
            var service = new MqttReceiverService(new CloudReceiver(store, new KeyRing().Add(7, 1, Key)),
                new MqttReceiverSettings(rig.Broker.Host, rig.Broker.Port, rig.Broker.Username, rig.Broker.Password, null, clientId));
            Assert.True(service.Start(TimeSpan.FromSeconds(10)));
            return service;
        }

        private static List<(int Channel, byte[] Data)> Drain(Sim7080Rig rig)
        {
            var list = new List<(int, byte[])>();
            var buffer = new byte[1024];
            int n;
            while ((n = rig.Transport.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
            {
                list.Add((channel, buffer.AsSpan(0, n).ToArray()));
            }

            return list;
        }

        /// <summary>Takes downlinks until <paramref name="count"/> arrived (or 10 s passed), then waits a little for any extra copy.</summary>
        private static List<(int Channel, byte[] Data)> Collect(Sim7080Rig rig, int count)
        {
            var got = new List<(int, byte[])>();
            Sim7080Rig.WaitReal(() =>
            {
                got.AddRange(Drain(rig));
                return got.Count >= count;
            });
            Thread.Sleep(300); // a second copy, if the design let one through, arrives within this
            got.AddRange(Drain(rig));
            return got;
        }

        /// <summary>What a host reading the UART line by line gets from a URC text: the first line, cut at CR or LF.</summary>
        private static (Sim7080LineKind Kind, byte[] Message) ParseFirstLine(string urc)
        {
            var bytes = Encoding.ASCII.GetBytes(urc); // as the emulator puts it on the line
            int end = Array.FindIndex(bytes, b => b == 0x0D || b == 0x0A);
            int n = end < 0 ? bytes.Length : end;
            var r = new Sim7080Response();
            var kind = new Sim7080ResponseParser().Parse(bytes, 0, n, r);
            var message = kind == Sim7080LineKind.Info && r.Info == Sim7080Info.SmSub
                ? bytes.AsSpan(r.MessageStart, r.MessageLength).ToArray()
                : Array.Empty<byte>();
            return (kind, message);
        }

        [Fact]
        public void Without_SUBHEX_acknowledgements_reach_the_gateway_byte_identical_and_free_the_log()
        {
            using var rig = new Sim7080Rig(seed: 41, faults: m => m.SubHexSupported = false);
            using var store = new SqliteReceiverStore(Path.Combine(_dir, "rx.db"));
            using var service = StartService(rig, store, "rx-cellhex");
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            Assert.False(rig.Driver.HexDownlinks);
            Assert.True(rig.Driver.SubscribedToHexTwins);
            Assert.Contains("AT+SMSUB=\"gw/7/ack/hex\",1", rig.Modem.Commands);
            Assert.Contains("AT+SMSUB=\"gw/7/down/hex\",1", rig.Modem.Commands);
            Assert.DoesNotContain("AT+SMSUB=\"gw/7/ack\",1", rig.Modem.Commands);

            // The gateway's log: readings appended and committed, the way the node keeps them until acknowledged.
            var log = new RecordLog(new VirtualFlash(41, 4096), new RecordLogSettings());
            log.Open();
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 7, 1, 1024);
            var codec = new DownlinkCodec(7, new HostHmacSha256(1, Key));
            var command = new DownlinkCommand();
            const int batches = 5;
            const int perBatch = 20;
            var batchSeqs = new List<uint[]>();
            var batchReadings = new List<Reading[]>();
            for (int b = 0; b < batches; b++)
            {
                var readings = new Reading[perBatch];
                var seqs = new uint[perBatch];
                for (int i = 0; i < perBatch; i++)
                {
                    readings[i] = new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (b * perBatch + i) * 600_000L, 900 + i, ReadingStatus.Ok);
                    seqs[i] = log.Append(ref readings[i]);
                }

                log.Commit();
                batchSeqs.Add(seqs);
                batchReadings.Add(readings);
            }

            Assert.True(log.TryGetOldestUnacknowledged(out uint oldestBefore));
            Assert.Equal(batchSeqs[0][0], oldestBefore);

            int sends = 0;
            int acks = 0;
            var buffer = new byte[DownlinkCodec.MaxBytes];
            var payload = new byte[1024];
            for (int b = 0; b < batches; b++)
            {
                int len = encoder.Encode(batchReadings[b], batchSeqs[b], 0, perBatch, 512, 16, payload, 0);
                encoder.Commit();
                uint first = batchSeqs[b][0];
                for (int attempt = 0; attempt < 20 && !log.IsAcknowledged(first); attempt++)
                {
                    Assert.Equal(UplinkStatus.Sent, rig.Transport.Send(payload, 0, len, PayloadClass.Newest).Status);
                    sends++;
                    var deadline = DateTime.UtcNow.AddMilliseconds(500);
                    while (DateTime.UtcNow < deadline && !log.IsAcknowledged(first))
                    {
                        int n;
                        while ((n = rig.Transport.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
                        {
                            Assert.Equal(MqttTopics.AckChannel, channel);
                            Assert.Equal(DownlinkRefusal.None, codec.TryDecode(buffer, 0, n, command));
                            Assert.Equal(DownlinkKind.Ack, command.Kind);
                            acks++;
                            for (int r = 0; r < command.AckRangeCount; r++)
                            {
                                log.Acknowledge(command.AckFirst[r], command.AckFirst[r] + command.AckCount[r] - 1);
                            }
                        }

                        Thread.Sleep(5);
                    }
                }

                Assert.True(log.IsAcknowledged(first), "batch " + b + " never acknowledged");
            }

            Assert.False(log.TryGetOldestUnacknowledged(out _)); // the acknowledged mark passed every record
            Assert.Equal(batches * perBatch, store.CountReadings(7));

            // Hostile bytes, as an acknowledgement and as a command (every byte value) through the receiver's own publisher.
            var everyByte = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
            service.SendDownlink("7", MqttTopics.AckChannel, Hostile);
            service.SendDownlink("7", MqttTopics.DownChannel, everyByte);
            var got = Collect(rig, 2);
            Assert.Equal(2, got.Count);
            Assert.Equal(MqttTopics.AckChannel, got[0].Channel);
            Assert.Equal(Hostile, got[0].Data);
            Assert.Equal(MqttTopics.DownChannel, got[1].Channel);
            Assert.Equal(everyByte, got[1].Data);
            Assert.Equal(0, rig.Driver.DownlinksRefused);
            Assert.Equal(0, rig.Driver.DownlinksOtherPair);
            Assert.All(rig.Modem.SubscriptionUrcs, u => Assert.EndsWith("/hex", u.Topic));
            _out.WriteLine($"no SUBHEX: {batches} batches ({batches * perBatch} readings) acknowledged through the hex twins with {sends} sends, {acks} acknowledgements; log fully acknowledged");
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Each_downlink_arrives_exactly_once_though_the_cloud_publishes_it_twice(bool subHex)
        {
            using var rig = new Sim7080Rig(seed: subHex ? 43 : 44, faults: m => m.SubHexSupported = subHex);
            using var store = new SqliteReceiverStore(Path.Combine(_dir, "rx.db"));
            using var service = StartService(rig, store, "rx-once-" + subHex);
            var received = new ConcurrentQueue<byte[]>();
            using var cloud = rig.Cloud(received);
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            Assert.Equal(subHex, rig.Driver.HexDownlinks);
            Assert.Equal(!subHex, rig.Driver.SubscribedToHexTwins);
            rig.WaitDownSubscribed(cloud);
            int urcsBefore = rig.Modem.UrcsQueued;

            var random = new Random(subHex ? 5 : 6);
            var sent = new List<(int Channel, byte[] Data)>();
            for (int i = 0; i < 6; i++)
            {
                var data = new byte[8 + random.Next(64)];
                random.NextBytes(data);
                data[0] = (byte)i; // distinct
                data[1] = Hostile[i % Hostile.Length];
                int channel = i % 3 == 2 ? MqttTopics.DownChannel : MqttTopics.AckChannel;
                service.SendDownlink("7", channel, data);
                sent.Add((channel, data));
            }

            var got = Collect(rig, sent.Count);
            Assert.Equal(sent.Count, got.Count);
            for (int i = 0; i < sent.Count; i++)
            {
                Assert.Equal(sent[i].Channel, got[i].Channel);
                Assert.Equal(sent[i].Data, got[i].Data);
            }

            Assert.Equal(sent.Count, rig.Modem.UrcsQueued - urcsBefore); // the broker dropped the copy nobody subscribed to
            Assert.Equal(0, rig.Driver.DownlinksRefused);
            Assert.Equal(0, rig.Driver.DownlinksOtherPair);
            Assert.Equal(0, service.Messages); // its filters do not pick up its own hex publications
            _out.WriteLine($"SUBHEX {(subHex ? "on" : "off")}: {sent.Count} downlinks published twice by the cloud, {got.Count} taken, {rig.Modem.UrcsQueued - urcsBefore} URCs");
        }

        [Fact]
        public void The_binary_Wi_Fi_path_gets_each_downlink_once_and_byte_identical()
        {
            using var rig = new Sim7080Rig(seed: 49);
            using var store = new SqliteReceiverStore(Path.Combine(_dir, "rx.db"));
            using var service = StartService(rig, store, "rx-wifi");
            using var wifi = new MosquittoTransport("9", rig.Broker.Host, rig.Broker.Port, rig.Broker.Username, rig.Broker.Password);
            Assert.True(wifi.EnsureReady());
            var buffer = new byte[1024];
            var probe = new byte[] { 0x70 };
            bool subscribed = false;
            for (int i = 0; i < 50 && !subscribed; i++)
            {
                service.SendDownlink("9", MqttTopics.DownChannel, probe);
                subscribed = Sim7080Rig.WaitReal(() => wifi.PollDownlink(buffer, 0, buffer.Length, out _) >= 0, TimeSpan.FromMilliseconds(200));
            }

            Assert.True(subscribed);
            Thread.Sleep(200);
            while (wifi.PollDownlink(buffer, 0, buffer.Length, out _) >= 0)
            {
            }

            var sent = new List<(int Channel, byte[] Data)>
            {
                (MqttTopics.AckChannel, Hostile),
                (MqttTopics.DownChannel, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray()),
                (MqttTopics.AckChannel, Hostile.Reverse().ToArray()),
            };
            foreach (var (channel, data) in sent)
            {
                service.SendDownlink("9", channel, data);
            }

            var got = new List<(int Channel, byte[] Data)>();
            Sim7080Rig.WaitReal(() =>
            {
                int n;
                while ((n = wifi.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
                {
                    got.Add((channel, buffer.AsSpan(0, n).ToArray()));
                }

                return got.Count >= sent.Count;
            });
            Thread.Sleep(300);
            int m;
            while ((m = wifi.PollDownlink(buffer, 0, buffer.Length, out int c)) >= 0)
            {
                got.Add((c, buffer.AsSpan(0, m).ToArray()));
            }

            Assert.Equal(sent.Count, got.Count);
            for (int i = 0; i < sent.Count; i++)
            {
                Assert.Equal(sent[i].Channel, got[i].Channel);
                Assert.Equal(sent[i].Data, got[i].Data);
            }
        }

        [Fact]
        public void Malformed_hex_on_the_twin_topic_is_refused_and_counted_without_an_exception()
        {
            using var rig = new Sim7080Rig(seed: 45, faults: m => m.SubHexSupported = false);
            var received = new ConcurrentQueue<byte[]>();
            using var cloud = rig.Cloud(received);
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            rig.WaitDownSubscribed(cloud);
            int refusedBefore = rig.Driver.DownlinksRefused;

            var bad = new[]
            {
                "ABC",                                        // odd length
                "0G12",                                       // not a hex digit
                "1 2 3 ",                                     // spaces (even length)
                "12\"34",                                     // a quote inside
                new string('A', 2 * (Sim7080.MaxDownlinkBytes + 1)), // decodes to more than the driver keeps
            };
            foreach (var text in bad)
            {
                Assert.True(cloud.Publish("gw/7/ack/hex", Encoding.ASCII.GetBytes(text), 1, false, Sim7080Rig.RealWait));
            }

            var good = new byte[] { 0x00, 0xFF, 0x0D, 0x0A };
            Assert.True(cloud.Publish("gw/7/ack/hex", MqttReceiverService.HexText(good), 1, false, Sim7080Rig.RealWait));
            var got = Collect(rig, 1);
            Assert.Single(got);
            Assert.Equal(good, got[0].Data);
            Assert.Equal(bad.Length, rig.Driver.DownlinksRefused - refusedBefore);
            Assert.True(rig.Driver.IsMqttConnected);
            _out.WriteLine($"malformed hex: {bad.Length} refused and counted, the next valid one taken");
        }

        /// <summary>Publishes a probe on the down topic <paramref name="driver"/> subscribed to until it comes through, then drains.</summary>
        private static void WaitSubscribed(Sim7080Rig rig, Sim7080 driver, Sim7080Transport transport, MqttReceiverService service)
        {
            var buffer = new byte[1024];
            bool seen = false;
            for (int i = 0; i < 50 && !seen; i++)
            {
                service.SendDownlink("7", MqttTopics.DownChannel, new byte[] { 0x70 });
                seen = Sim7080Rig.WaitReal(() => transport.PollDownlink(buffer, 0, buffer.Length, out _) >= 0, TimeSpan.FromMilliseconds(200));
            }

            Assert.True(seen, "the modem's subscription never became active");
            Thread.Sleep(200);
            while (transport.PollDownlink(buffer, 0, buffer.Length, out _) >= 0)
            {
            }
        }

        private static List<(int Channel, byte[] Data)> Collect(Sim7080Transport transport, int count)
        {
            var got = new List<(int, byte[])>();
            var buffer = new byte[1024];
            void Take()
            {
                int n;
                while ((n = transport.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
                {
                    got.Add((channel, buffer.AsSpan(0, n).ToArray()));
                }
            }

            Sim7080Rig.WaitReal(() =>
            {
                Take();
                return got.Count >= count;
            });
            Thread.Sleep(300);
            Take();
            return got;
        }

        private static void Reconnect(Sim7080Rig rig)
        {
            rig.Modem.DropMqtt();
            rig.Driver.Service(0);
            Assert.False(rig.Driver.IsMqttConnected);
            rig.Transport.RetryNow();
            Assert.True(rig.Transport.EnsureReady(), "reconnect: " + rig.Transport.LastStatus);
        }

        [Fact]
        public void A_modem_that_loses_and_regains_SUBHEX_is_followed_and_the_unused_pair_unsubscribed()
        {
            using var rig = new Sim7080Rig(seed: 47);
            using var store = new SqliteReceiverStore(Path.Combine(_dir, "rx.db"));
            using var service = StartService(rig, store, "rx-switch");

            // 1. SUBHEX on: binary topics.
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            Assert.False(rig.Driver.SubscribedToHexTwins);
            WaitSubscribed(rig, rig.Driver, rig.Transport, service);
            service.SendDownlink("7", MqttTopics.AckChannel, Hostile);
            var got = Collect(rig.Transport, 1);
            Assert.Single(got);
            Assert.Equal(Hostile, got[0].Data);

            // 2. The firmware loses SUBHEX (an update) and the session is opened again: the hex twins, and the binary pair
            // the persistent session still holds is unsubscribed, so no mangled copy reaches the UART.
            rig.Modem.SubHexSupported = false;
            int commands = rig.Modem.Commands.Count;
            Reconnect(rig);
            Assert.False(rig.Driver.HexDownlinks);
            Assert.True(rig.Driver.SubscribedToHexTwins);
            var sent = rig.Modem.Commands.Skip(commands).ToList();
            Assert.Contains("AT+SMSUB=\"gw/7/ack/hex\",1", sent);
            Assert.Contains("AT+SMUNSUB=\"gw/7/ack\"", sent);
            Assert.Contains("AT+SMUNSUB=\"gw/7/down\"", sent);
            WaitSubscribed(rig, rig.Driver, rig.Transport, service);
            int urcs = rig.Modem.UrcsQueued;
            var ack2 = Hostile.Reverse().ToArray();
            service.SendDownlink("7", MqttTopics.AckChannel, ack2);
            got = Collect(rig.Transport, 1);
            Assert.Single(got);
            Assert.Equal(ack2, got[0].Data);
            Assert.Equal(1, rig.Modem.UrcsQueued - urcs);

            // 3. SUBHEX back (another update): binary topics again, the twins unsubscribed.
            rig.Modem.SubHexSupported = true;
            commands = rig.Modem.Commands.Count;
            Reconnect(rig);
            Assert.True(rig.Driver.HexDownlinks);
            Assert.False(rig.Driver.SubscribedToHexTwins);
            sent = rig.Modem.Commands.Skip(commands).ToList();
            Assert.Contains("AT+SMSUB=\"gw/7/ack\",1", sent);
            Assert.Contains("AT+SMUNSUB=\"gw/7/ack/hex\"", sent);
            Assert.Contains("AT+SMUNSUB=\"gw/7/down/hex\"", sent);
            WaitSubscribed(rig, rig.Driver, rig.Transport, service);
            urcs = rig.Modem.UrcsQueued;
            var ack3 = Hostile.Concat(new byte[] { 0x80, 0x7F }).ToArray();
            service.SendDownlink("7", MqttTopics.AckChannel, ack3);
            got = Collect(rig.Transport, 1);
            Assert.Single(got);
            Assert.Equal(ack3, got[0].Data);
            Assert.Equal(1, rig.Modem.UrcsQueued - urcs);
            Assert.Equal(0, rig.Driver.DownlinksRefused);
            Assert.Equal(0, rig.Driver.DownlinksOtherPair);
            Assert.Equal(2, rig.Driver.OtherPairUnsubscribes);
            _out.WriteLine($"SUBHEX lost and regained: each acknowledgement taken once, one URC each; {rig.Driver.OtherPairUnsubscribes} unsubscriptions of the unused pair");
        }

        [Fact]
        public void After_a_host_reboot_a_stale_binary_pair_is_found_by_its_mangled_copy_and_unsubscribed()
        {
            using var rig = new Sim7080Rig(seed: 48);
            using var store = new SqliteReceiverStore(Path.Combine(_dir, "rx.db"));
            using var service = StartService(rig, store, "rx-reboot");
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            Assert.False(rig.Driver.SubscribedToHexTwins); // the broker's persistent session now holds gw/7/ack and gw/7/down

            // The host reboots while the modem's firmware loses SUBHEX: the new driver knows nothing of the binary pair.
            rig.Modem.SubHexSupported = false;
            var driver = new Sim7080(rig.Line, rig.Clock, rig.Settings, rig.PowerKey);
            var transport = new Sim7080Transport(driver, rig.Clock);
            Assert.True(transport.EnsureReady(), "bring-up after reboot: " + transport.LastStatus);
            Assert.True(driver.SubscribedToHexTwins);
            WaitSubscribed(rig, driver, transport, service);
            while (rig.Modem.SubscriptionUrcs.TryDequeue(out _))
            {
            }

            // The cloud's acknowledgement comes twice: intact on the twin, mangled on the stale binary topic (its CR LF
            // cuts the URC after the NUL, so the driver sees a broken +SMSUB line of the binary topic, then stray text).
            var ack = Hostile;
            service.SendDownlink("7", MqttTopics.AckChannel, ack);
            var got = new List<(int Channel, byte[] Data)>();
            var buffer = new byte[1024];
            Assert.True(Sim7080Rig.WaitReal(() =>
            {
                int n;
                while ((n = transport.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
                {
                    got.Add((channel, buffer.AsSpan(0, n).ToArray()));
                }

                return got.Count >= 1 && driver.DownlinksOtherPair >= 1;
            }));
            Assert.Single(got);
            Assert.Equal(ack, got[0].Data);

            // Without the fallback the gateway would have had only the binary copy, and it does not survive the text URC.
            var urcs = rig.Modem.SubscriptionUrcs.ToArray();
            var binary = urcs.Single(u => u.Topic == "gw/7/ack");
            var twin = urcs.Single(u => u.Topic == "gw/7/ack/hex");
            var (kind, message) = ParseFirstLine(binary.Line);
            Assert.False(kind == Sim7080LineKind.Info && message.AsSpan().SequenceEqual(ack), "the binary copy survived the text URC");
            Assert.Equal(Convert.ToHexString(ack), Encoding.ASCII.GetString(ParseFirstLine(twin.Line).Message));

            // The next publish first unsubscribes the stale pair; the next acknowledgement comes once, as one URC.
            int commands = rig.Modem.Commands.Count;
            var batch = new byte[] { 1, 2, 3 };
            Assert.Equal(UplinkStatus.Sent, transport.Send(batch, 0, batch.Length, PayloadClass.Newest).Status);
            var sent = rig.Modem.Commands.Skip(commands).ToList();
            Assert.Equal("AT+SMUNSUB=\"gw/7/ack\"", sent[0]);
            Assert.Equal("AT+SMUNSUB=\"gw/7/down\"", sent[1]);
            Assert.Equal(1, driver.OtherPairUnsubscribes);
            int queued = rig.Modem.UrcsQueued;
            int other = driver.DownlinksOtherPair;
            var ack2 = Hostile.Concat(new byte[] { 0x0D }).ToArray();
            service.SendDownlink("7", MqttTopics.AckChannel, ack2);
            got = Collect(transport, 1);
            Assert.Single(got);
            Assert.Equal(ack2, got[0].Data);
            Assert.Equal(1, rig.Modem.UrcsQueued - queued);
            Assert.Equal(other, driver.DownlinksOtherPair);
            Assert.Equal(0, driver.DownlinksRefused);
            _out.WriteLine($"host reboot with a stale binary pair: {other} mangled copy noticed, pair unsubscribed at the next publish, next acknowledgement once; parser saw {driver.Parser.MalformedTotal} malformed lines");
        }
    }
}
