using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using Gateway.Core.Uplink;
using Gateway.Virtual.Mqtt;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Broker
{
    /// <summary>
    /// The shipped broker configuration (tools/broker) on the real mosquitto: TLS, credentials, per-gateway ACLs, the
    /// receivers' listener, the account script, per-client packet limits.
    /// </summary>
    public sealed class FieldBrokerTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        private readonly ITestOutputHelper _out;
        private readonly FieldBroker _broker;
        private readonly List<IDisposable> _clients = new();

        public FieldBrokerTests(ITestOutputHelper output)
        {
            _out = output;
            var sw = Stopwatch.StartNew();
            _broker = new FieldBroker();
            _out.WriteLine($"broker ready in {sw.ElapsedMilliseconds} ms");
        }

        public void Dispose()
        {
            var sw = Stopwatch.StartNew();
            System.Threading.Tasks.Parallel.ForEach(_clients, c => c.Dispose()); // each waits for its network thread
            _out.WriteLine($"clients closed in {sw.ElapsedMilliseconds} ms");
            sw.Restart();

            _broker.Dispose();
            _out.WriteLine($"broker stopped in {sw.ElapsedMilliseconds} ms");
        }

        private T Keep<T>(T client)
            where T : IDisposable
        {
            _clients.Add(client);
            return client;
        }

        private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > timeout)
                {
                    return false;
                }

                Thread.Sleep(10);
            }

            return true;
        }

        private static ConcurrentQueue<MqttMessage> Inbox(MosquittoClient c)
        {
            var q = new ConcurrentQueue<MqttMessage>();
            c.MessageReceived += q.Enqueue;
            return q;
        }

        private static string[] Topics(ConcurrentQueue<MqttMessage> q) => q.Select(m => m.Topic + "=" + Encoding.ASCII.GetString(m.Payload)).ToArray();

        private static byte[] Text(string s) => Encoding.ASCII.GetBytes(s);

        /// <summary>Publishes, then waits until <paramref name="inbox"/> holds the marker message (so anything published before it had its chance to arrive).</summary>
        private static void Marker(MosquittoClient publisher, string topic, ConcurrentQueue<MqttMessage> inbox, string text)
        {
            Assert.True(publisher.Publish(topic, Text(text), 1, false, Wait), publisher.LastError);
            Assert.True(WaitFor(() => inbox.Any(m => Encoding.ASCII.GetString(m.Payload) == text), Wait), $"marker {text} on {topic} not received");
        }

        /// <summary>A receiver subscribed to every uplink, its subscription proven with a probe through a gateway.</summary>
        private (MosquittoClient Client, ConcurrentQueue<MqttMessage> Inbox) SubscribedReceiver(string clientId, MosquittoClient probeGateway, uint probeId, params string[] filters)
        {
            var rx = Keep(_broker.Receiver(clientId, start: false));
            var inbox = Inbox(rx);
            foreach (var f in filters.Length == 0 ? new[] { "gw/+/up", "gw/+/commission" } : filters)
            {
                rx.Subscribe(f);
            }

            rx.Start(_broker.Broker.Host, _broker.ReceiverPort);
            Assert.True(rx.WaitConnected(Wait), "receiver connects over TLS with its certificate: " + _broker.Log());
            var sw = Stopwatch.StartNew();
            while (!inbox.Any(m => m.Topic == MqttTopics.Up(probeId.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                Assert.True(sw.Elapsed < Wait, "receiver subscription in place");
                probeGateway.Publish(MqttTopics.Up(probeId.ToString(System.Globalization.CultureInfo.InvariantCulture)), Text("probe"), 1, false, Wait);
                Thread.Sleep(50);
            }

            inbox.Clear();
            return (rx, inbox);
        }

        [Fact]
        public void Anonymous_wrong_passwords_plain_tcp_an_unknown_authority_and_a_receiver_without_its_certificate_are_refused()
        {
            var pw = _broker.Account("add-gateway", "101");
            Assert.Matches("^[0-9a-f]{32}$", pw);
            _broker.Broker.Reload();

            var anonymous = Keep(new MosquittoClient("anon", cleanSession: true));
            anonymous.SetTls(_broker.CaFile);
            var wrongPassword = Keep(_broker.Gateway(101, "not-the-password", "gw-101-wrong", start: false));
            var plainTcp = Keep(new MosquittoClient("gw-101-plain", cleanSession: true));
            plainTcp.SetCredentials("101", pw);
            var untrusted = Keep(new MosquittoClient("gw-101-rogue", cleanSession: true));
            untrusted.SetCredentials("101", pw);
            untrusted.SetTls(_broker.RogueCaFile);
            var gatewayOnReceiverPort = Keep(new MosquittoClient("gw-101-rxport", cleanSession: true));
            gatewayOnReceiverPort.SetCredentials("101", pw);
            gatewayOnReceiverPort.SetTls(_broker.CaFile);
            var receiverWithoutCertificate = Keep(_broker.Receiver("rx-nocert", start: false, certificate: false));
            foreach (var (c, port) in new[]
            {
                (anonymous, _broker.GatewayPort), (wrongPassword, _broker.GatewayPort), (plainTcp, _broker.GatewayPort), (untrusted, _broker.GatewayPort),
                (gatewayOnReceiverPort, _broker.ReceiverPort), (receiverWithoutCertificate, _broker.ReceiverPort),
            })
            {
                c.Start(_broker.Broker.Host, port);
            }

            // The right credentials over TLS with the town's authority: connected.
            var gateway = Keep(_broker.Gateway(101, pw));
            Assert.True(gateway.WaitConnected(Wait), "the gateway connects with its password over TLS: " + _broker.Log());
            var rx = Keep(_broker.Receiver("rx-ok"));
            Assert.True(rx.WaitConnected(Wait), "the receiver connects with its certificate and password: " + _broker.Log());

            Thread.Sleep(1500); // each refused client has tried at least once
            Assert.False(anonymous.IsConnected, "anonymous");
            Assert.False(wrongPassword.IsConnected, "wrong password");
            Assert.False(plainTcp.IsConnected, "plain TCP to the TLS listener");
            Assert.False(untrusted.IsConnected, "a client that trusts another authority");
            Assert.False(gatewayOnReceiverPort.IsConnected, "a gateway (no client certificate) on the receivers' listener");
            Assert.False(receiverWithoutCertificate.IsConnected, "the receiver's password without its certificate");
            Assert.Equal(0, anonymous.ConnectCount + wrongPassword.ConnectCount + plainTcp.ConnectCount + untrusted.ConnectCount
                + gatewayOnReceiverPort.ConnectCount + receiverWithoutCertificate.ConnectCount);
        }

        [Fact]
        public void A_gateway_publishes_only_its_own_uplinks_and_reads_only_its_own_downlinks()
        {
            var pw101 = _broker.Account("add-gateway", "101");
            var pw102 = _broker.Account("add-gateway", "102");
            _broker.Broker.Reload();
            var gw101 = Keep(_broker.Gateway(101, pw101, start: false));
            var in101 = Inbox(gw101);
            foreach (var t in new[] { "gw/101/ack", "gw/101/down", "gw/102/ack", "gw/102/ack/hex", "gw/102/down", "gw/102/down/hex", "gw/+/up", "gw/#", "#" })
            {
                gw101.Subscribe(t); // its own two and everything it must not see
            }

            gw101.Start(_broker.Broker.Host, _broker.GatewayPort);
            var gw102 = Keep(_broker.Gateway(102, pw102, start: false));
            var in102 = Inbox(gw102);
            gw102.Subscribe("gw/102/ack");
            gw102.Subscribe("gw/102/down/hex");
            gw102.Start(_broker.Broker.Host, _broker.GatewayPort);
            Assert.True(gw101.WaitConnected(Wait) && gw102.WaitConnected(Wait), _broker.Log());
            var (rx, uplinks) = SubscribedReceiver("rx-acl", gw101, 101);

            // 101 forges 102's uplink and commissioning record: acknowledged by the broker (MQTT 3.1.1 cannot refuse a
            // PUBLISH) and dropped. Its own messages, published after, arrive; the forgeries never did.
            Assert.True(gw101.Publish("gw/102/up", Text("forged-up"), 1, false, Wait));
            Assert.True(gw101.Publish("gw/102/commission", Text("forged-commission"), 1, false, Wait));
            Assert.True(gw101.Publish("gw/102/ack", Text("forged-ack"), 1, false, Wait));
            Assert.True(gw101.Publish("gw/101/ack", Text("self-ack"), 1, false, Wait));
            Assert.True(gw101.Publish("gw/101/commission", Text("own-commission"), 1, false, Wait));
            Marker(gw101, "gw/101/up", uplinks, "own-up");
            Marker(gw102, "gw/102/up", uplinks, "102-up");
            Assert.Equal(new[] { "gw/101/commission=own-commission", "gw/101/up=own-up", "gw/102/up=102-up" }, Topics(uplinks).OrderBy(t => t, StringComparer.Ordinal));

            // Downlinks: 102's go to 102 only, although 101 subscribed to them (and to everything); 101 sees its own.
            Assert.True(rx.Publish("gw/102/ack", Text("ack-102"), 1, false, Wait));
            Assert.True(rx.Publish("gw/102/ack/hex", Text("41434B"), 1, false, Wait));
            Assert.True(rx.Publish("gw/102/down", Text("down-102"), 1, false, Wait));
            Marker(rx, "gw/102/down/hex", in102, "444F574E");
            Marker(rx, "gw/101/down", in101, "down-101");
            Assert.Equal(new[] { "gw/101/down=down-101" }, Topics(in101).Distinct()); // overlapping subscriptions may deliver it more than once
            Assert.Equal(new[] { "gw/102/ack=ack-102", "gw/102/down/hex=444F574E" }, Topics(in102));
            _out.WriteLine("101 saw: " + string.Join(", ", Topics(in101)) + "; 102 saw: " + string.Join(", ", Topics(in102)));
        }

        [Fact]
        public void Receivers_read_every_uplink_write_every_downlink_share_the_load_and_cannot_forge_uplinks()
        {
            var ids = new uint[] { 201, 202, 203 };
            var gateways = ids.ToDictionary(id => id, id =>
            {
                var pw = _broker.Account("add-gateway", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return pw;
            });
            _broker.Broker.Reload();
            var clients = new Dictionary<uint, (MosquittoClient C, ConcurrentQueue<MqttMessage> In)>();
            foreach (var id in ids)
            {
                var c = Keep(_broker.Gateway(id, gateways[id], start: false));
                var inbox = Inbox(c);
                c.Subscribe($"gw/{id}/ack/hex");
                c.Subscribe($"gw/{id}/down/hex");
                c.Start(_broker.Broker.Host, _broker.GatewayPort);
                clients[id] = (c, inbox);
            }

            Assert.True(ids.All(id => clients[id].C.WaitConnected(Wait)), _broker.Log());

            // Two receivers in one shared-subscription group split the uplinks between them, each message to exactly one.
            var (rxA, inA) = SubscribedReceiver("rx-a", clients[201].C, 201, "$share/town/gw/+/up", "gw/+/commission");
            var (rxB, inB) = SubscribedReceiver("rx-b", clients[201].C, 201, "$share/town/gw/+/up");
            inA.Clear();
            var sent = new List<string>();
            for (var i = 0; i < 60; i++)
            {
                var id = ids[i % 3];
                Assert.True(clients[id].C.Publish(MqttTopics.Up(id.ToString(System.Globalization.CultureInfo.InvariantCulture)), Text("b" + i), 1, false, Wait));
                sent.Add($"gw/{id}/up=b{i}");
            }

            Assert.True(clients[203].C.Publish("gw/203/commission", Text("c203"), 1, false, Wait));
            Assert.True(WaitFor(() => inA.Count + inB.Count >= 61, Wait), $"{inA.Count} + {inB.Count} of 61");
            Thread.Sleep(200);
            var all = Topics(inA).Concat(Topics(inB)).ToList();
            Assert.Equal(sent.Append("gw/203/commission=c203").OrderBy(t => t, StringComparer.Ordinal), all.OrderBy(t => t, StringComparer.Ordinal));
            Assert.True(inA.Count > 5 && inB.Count > 5, $"both receivers took a share: {inA.Count} and {inB.Count}");
            _out.WriteLine($"shared subscription: receiver A {inA.Count}, receiver B {inB.Count} of 61");

            // Downlinks to every gateway (hex twins here), and a receiver cannot publish a gateway's uplink.
            inA.Clear();
            inB.Clear();
            Assert.True(rxB.Publish("gw/201/up", Text("forged-by-receiver"), 1, false, Wait));
            foreach (var id in ids)
            {
                Assert.True(rxA.Publish($"gw/{id}/ack/hex", Text("AC" + id), 1, false, Wait));
                Marker(rxB, $"gw/{id}/down/hex", clients[id].In, "D0" + id);
                Assert.Equal(new[] { $"gw/{id}/ack/hex=AC{id}", $"gw/{id}/down/hex=D0{id}" }, Topics(clients[id].In));
            }

            Assert.True(clients[202].C.Publish("gw/202/up", Text("after"), 1, false, Wait));
            Assert.True(WaitFor(() => inA.Concat(inB).Any(m => m.Topic == "gw/202/up"), Wait), "the uplink after the forgery arrived");
            Assert.DoesNotContain(Topics(inA).Concat(Topics(inB)), t => t.Contains("forged", StringComparison.Ordinal));
        }

        [Fact]
        public void A_gateway_added_with_the_script_connects_after_a_reload_and_a_removed_one_is_cut_off()
        {
            var pw = _broker.Account("add-gateway", "4711");
            var early = Keep(_broker.Gateway(4711, pw, "gw-4711-early"));
            Assert.False(early.WaitConnected(TimeSpan.FromSeconds(1.2)), "the running broker has not reread its password file yet");

            _broker.Broker.Reload(); // systemctl reload mosquitto
            var gw = Keep(_broker.Gateway(4711, pw));
            Assert.True(gw.WaitConnected(Wait), "after the reload: " + _broker.Log());

            // Bad input to the script: one line, exit 2, nothing changed.
            var before = System.IO.File.ReadAllText(_broker.PasswordFile);
            foreach (var bad in new[] { "0", "0123", "4294967296", "gw-1", "a/b", "+" })
            {
                var (rc, stdout, stderr) = _broker.RunAccount("add-gateway", bad);
                Assert.Equal(2, rc);
                Assert.Equal("", stdout);
                Assert.Single(stderr.Trim().Split('\n'));
                Assert.StartsWith("broker-account: ", stderr, StringComparison.Ordinal);
            }

            Assert.Equal(before, System.IO.File.ReadAllText(_broker.PasswordFile));

            _broker.Account("remove", "4711");
            Assert.DoesNotContain("4711:", System.IO.File.ReadAllText(_broker.PasswordFile), StringComparison.Ordinal);
            _broker.Broker.Reload();
            Assert.True(WaitFor(() => !gw.IsConnected, TimeSpan.FromSeconds(5)), "the broker disconnects a removed account when it rereads the file");
            Thread.Sleep(1500);
            Assert.False(gw.IsConnected, "and refuses its reconnection");
        }

        [Fact]
        public void A_packet_over_the_limit_disconnects_its_sender_and_goes_nowhere_while_other_gateways_carry_on()
        {
            var pwJunk = _broker.Account("add-gateway", "301");
            var pwReal = _broker.Account("add-gateway", "302");
            _broker.Broker.Reload();
            var junk = Keep(_broker.Gateway(301, pwJunk));
            var real = Keep(_broker.Gateway(302, pwReal));
            Assert.True(junk.WaitConnected(Wait) && real.WaitConnected(Wait));
            var (_, uplinks) = SubscribedReceiver("rx-size", real, 302);

            var batch = new byte[1024]; // the largest batch a gateway sends
            Assert.True(junk.Publish("gw/301/up", batch, 1, false, Wait), junk.LastError);
            Assert.False(junk.Publish("gw/301/up", new byte[40_000], 1, false, TimeSpan.FromSeconds(2)), "over max_packet_size: no PUBACK");
            Assert.True(junk.DisconnectCount >= 1, "the sender was disconnected");
            Marker(real, "gw/302/up", uplinks, "real-after");
            Assert.DoesNotContain(uplinks, m => m.Payload.Length > 32768);
            Assert.Contains(uplinks, m => m.Topic == "gw/301/up" && m.Payload.Length == 1024);
        }
    }
}
