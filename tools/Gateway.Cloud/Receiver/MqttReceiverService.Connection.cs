using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Gateway.Cloud.Receiver
{
    /// <summary>The broker connection: MQTT 5, persistent session, in-flight window, TLS, reconnection, subscriptions.</summary>
    public sealed partial class MqttReceiverService
    {
        private readonly IMqttClient _client;
        private readonly ManualResetEventSlim _probed = new(false);
        private readonly CancellationTokenSource _stopping = new();
        private readonly SemaphoreSlim _connecting = new(1, 1);
        private MqttClientOptions? _options;
        private int _generation;
        private int _reconnecting;

        /// <summary>
        /// Connects and subscribes (the broker has answered every SUBSCRIBE when this returns), then proves the
        /// subscriptions are in place with a probe published on this instance's private topic. Returns false when the
        /// broker could not be reached, refused the connection or a subscription, or did not answer in time.
        /// </summary>
        public bool Start(TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            _options = BuildOptions();
            if (!ConnectAndSubscribe(timeout))
            {
                return false;
            }

            while (sw.Elapsed < timeout)
            {
                try
                {
                    Publish(ProbeTopic, Encoding.ASCII.GetBytes("probe"), retain: false);
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
                {
                    _log("probe: " + ex.Message);
                }

                if (_probed.Wait(TimeSpan.FromMilliseconds(500)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The reason the last connection attempt failed, or null.</summary>
        public string? LastConnectError { get; private set; }

        private MqttClientOptions BuildOptions()
        {
            var s = Settings;
            var b = new MqttClientOptionsBuilder()
                .WithTcpServer(s.Host, s.Port)
                .WithClientId(s.ClientId)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCleanStart(s.CleanSession)
                .WithSessionExpiryInterval(s.CleanSession ? 0 : s.SessionExpirySeconds)
                .WithReceiveMaximum((ushort)Math.Clamp(s.InFlight, 1, ushort.MaxValue))
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
                .WithTimeout(TimeSpan.FromSeconds(10));
            if (s.Username != null)
            {
                b.WithCredentials(s.Username, s.Password ?? string.Empty);
            }

            if (s.Tls is { } tls)
            {
                var ca = tls.CaFile is null ? null : LoadCa(tls.CaFile);
                var client = tls.CertFile is null ? null : LoadClientCertificate(tls.CertFile, tls.KeyFile ?? tls.CertFile);
                b.WithTlsOptions(o =>
                {
                    o.UseTls(true).WithTargetHost(s.Host);
                    if (client != null)
                    {
                        o.WithClientCertificates(new[] { client });
                    }

                    if (ca != null)
                    {
                        o.WithCertificateValidationHandler(e => ValidateAgainst(ca, e.Certificate, e.SslPolicyErrors));
                    }
                });
            }

            return b.Build();
        }

        /// <summary>The CA certificates of a PEM file (throws <see cref="System.Security.Cryptography.CryptographicException"/> when none).</summary>
        public static X509Certificate2Collection LoadCa(string path)
        {
            var ca = new X509Certificate2Collection();
            ca.ImportFromPemFile(path);
            if (ca.Count == 0)
            {
                throw new System.Security.Cryptography.CryptographicException($"{path} holds no PEM certificate");
            }

            return ca;
        }

        /// <summary>A client certificate with its private key from PEM files, usable by TLS on every platform.</summary>
        public static X509Certificate2 LoadClientCertificate(string certPath, string keyPath)
        {
            using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        /// <summary>The broker's certificate must name the host and chain to one of <paramref name="ca"/> (and only those).</summary>
        private static bool ValidateAgainst(X509Certificate2Collection ca, X509Certificate? certificate, SslPolicyErrors errors)
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var cert = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(cert);
        }

        private bool ConnectAndSubscribe(TimeSpan timeout)
        {
            if (!_connecting.Wait(timeout))
            {
                return false;
            }

            try
            {
                if (_client.IsConnected)
                {
                    return true;
                }

                using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                cts.CancelAfter(timeout);
                var result = _client.ConnectAsync(_options!, cts.Token).GetAwaiter().GetResult();
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    LastConnectError = $"the broker refused the connection: {result.ResultCode} {result.ReasonString}".TrimEnd();
                    return false;
                }

                // A new connection: acknowledgements of messages delivered on the previous one are no longer possible
                // (the broker redelivers those), so they are told apart by generation.
                Interlocked.Increment(ref _generation);
                var sub = new MqttClientSubscribeOptionsBuilder();
                foreach (var f in SubscriptionFilters())
                {
                    sub.WithTopicFilter(new MqttTopicFilterBuilder().WithTopic(f).WithAtLeastOnceQoS());
                }

                var granted = _client.SubscribeAsync(sub.Build(), cts.Token).GetAwaiter().GetResult();
                var refused = granted.Items.Where(i => i.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS0))
                    .Select(i => $"{i.TopicFilter.Topic} ({i.ResultCode})").ToList();
                if (refused.Count > 0)
                {
                    LastConnectError = "the broker refused the subscription to " + string.Join(", ", refused);
                    _log("error: " + LastConnectError);
                    return false;
                }

                LastConnectError = null;
                _log($"connected to {Settings.Host}:{Settings.Port} as {Settings.ClientId} (session {(result.IsSessionPresent ? "resumed" : "new")})");
                return true;
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException
                                           or System.Net.Sockets.SocketException or System.IO.IOException or System.Security.Authentication.AuthenticationException)
            {
                LastConnectError = Describe(ex);
                return false;
            }
            finally
            {
                _connecting.Release();
            }
        }

        /// <summary>Every filter this instance subscribes to (shared ones with the group prefix).</summary>
        private System.Collections.Generic.IEnumerable<string> SubscriptionFilters()
        {
            string Shared(string f) => Settings.ShareGroup is null ? f : $"$share/{Settings.ShareGroup}/{f}";
            foreach (var f in TopicFilters)
            {
                yield return Shared(f);
            }

            if (Commissioning is not null)
            {
                yield return Shared("gw/+/commission");
            }

            if (Settings.ClockTopic != null)
            {
                yield return Settings.ClockTopic; // every instance follows the simulated clock
            }

            yield return ProbeTopic;
        }

        private static string Describe(Exception ex)
        {
            var inner = ex;
            while (inner.InnerException != null)
            {
                inner = inner.InnerException;
            }

            return inner == ex ? ex.Message : $"{ex.Message} ({inner.Message})";
        }

        private Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
        {
            var topic = e.ApplicationMessage.Topic;
            var payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            if (topic == ProbeTopic && payload.Length == 5 && Encoding.ASCII.GetString(payload) == "probe")
            {
                _probed.Set();
                return Task.CompletedTask; // acknowledged by the library: nothing to keep
            }

            // Acknowledged by the handling thread, once durable.
            e.AutoAcknowledge = false;
            Interlocked.Increment(ref _queued);
            var item = new Inbound(topic, payload, e, Volatile.Read(ref _generation));
            if (_inbox.Writer.TryWrite(item))
            {
                return Task.CompletedTask;
            }

            return Enqueue(item);
        }

        private async Task Enqueue(Inbound item)
        {
            try
            {
                await _inbox.Writer.WriteAsync(item, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                // Stopping: not taken, not acknowledged; the broker keeps it for the next start.
                Interlocked.Decrement(ref _queued);
                Interlocked.Increment(ref _dropped);
            }
        }

        /// <summary>Acknowledges a message to the broker on the connection it came on; one from an earlier connection the broker redelivers instead.</summary>
        private void Acknowledge(Inbound m)
        {
            if (m.Args is null)
            {
                return;
            }

            if (m.Generation != Volatile.Read(ref _generation) || !_client.IsConnected)
            {
                Interlocked.Increment(ref _unacknowledged);
                return;
            }

            try
            {
                m.Args.AcknowledgeAsync(CancellationToken.None).GetAwaiter().GetResult();
                Interlocked.Increment(ref _acknowledged);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
            {
                Interlocked.Increment(ref _unacknowledged);
            }
        }

        private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
        {
            if (!_stopping.IsCancellationRequested && e.ClientWasConnected)
            {
                _log($"disconnected from the broker ({e.Reason}{(e.Exception is null ? string.Empty : ": " + Describe(e.Exception))}); reconnecting");
                RequestReconnect();
            }

            return Task.CompletedTask;
        }

        /// <summary>Renews the connection in the background (once at a time), with backoff, until connected or stopped.</summary>
        private void RequestReconnect()
        {
            if (Interlocked.Exchange(ref _reconnecting, 1) == 1 || _options is null)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                var delay = TimeSpan.FromMilliseconds(250);
                try
                {
                    if (_client.IsConnected)
                    {
                        // A message could not be made durable: a new connection makes the broker deliver it again.
                        await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token).ConfigureAwait(false);
                        await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
                            _stopping.Token).ConfigureAwait(false);
                    }

                    while (!_stopping.IsCancellationRequested && !ConnectAndSubscribe(TimeSpan.FromSeconds(10)))
                    {
                        _log("reconnect failed: " + LastConnectError);
                        await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                        delay = TimeSpan.FromMilliseconds(Math.Min(10_000, delay.TotalMilliseconds * 2));
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or MQTTnet.Exceptions.MqttCommunicationException)
                {
                }
                finally
                {
                    Volatile.Write(ref _reconnecting, 0);
                }
            });
        }

        private void Publish(string topic, byte[] payload, bool retain)
        {
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var result = _client.PublishAsync(message, cts.Token).GetAwaiter().GetResult();
            if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                throw new InvalidOperationException($"the broker refused the publish on {topic}: {result.ReasonCode} {result.ReasonString}".TrimEnd());
            }
        }

        private void Disconnect()
        {
            try
            {
                if (_client.IsConnected)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cts.Token)
                        .GetAwaiter().GetResult();
                }
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }
}
