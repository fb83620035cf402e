using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Gateway.Tests.Broker
{
    /// <summary>
    /// The least MQTT 3.1.1 publisher a load test needs: CONNECT (persistent session, username and password), QoS 1
    /// PUBLISH waiting for each PUBACK, DISCONNECT, over TLS (.NET's <see cref="SslStream"/>, trusting one CA file).
    /// One socket and no thread per connection, so a test can open a thousand (libmosquitto's network loop uses
    /// select(), which stops at file descriptor 1024: about 280 clients a process).
    /// </summary>
    public sealed class RawMqttPublisher : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly Stream _stream;
        private readonly byte[] _header = new byte[5];
        private ushort _packetId;

        private RawMqttPublisher(TcpClient tcp, Stream stream)
        {
            _tcp = tcp;
            _stream = stream;
        }

        /// <summary>Connects, checks the CONNACK; throws <see cref="IOException"/> when refused.</summary>
        public static async Task<RawMqttPublisher> ConnectAsync(string host, int port, X509Certificate2 ca, string clientId, string username, string password, CancellationToken ct)
        {
            var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
            var ssl = new SslStream(tcp.GetStream(), false, (_, cert, chain, errors) =>
            {
                if (cert == null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var c = new X509Chain();
                c.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                c.ChainPolicy.CustomTrustStore.Add(ca);
                c.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return c.Build(new X509Certificate2(cert));
            });
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, ct).ConfigureAwait(false);
            var p = new RawMqttPublisher(tcp, ssl);
            var body = new MemoryStream();
            WriteString(body, "MQTT");
            body.WriteByte(4); // protocol level 3.1.1
            body.WriteByte(0x80 | 0x40); // username, password, clean session 0 (a persistent session, as gateways keep)
            body.WriteByte(0);
            body.WriteByte(60); // keepalive
            WriteString(body, clientId);
            WriteString(body, username);
            WriteString(body, password);
            await p.SendAsync(0x10, body.ToArray(), ct).ConfigureAwait(false);
            var (type, payload) = await p.ReadPacketAsync(ct).ConfigureAwait(false);
            if (type != 0x20 || payload.Length != 2 || payload[1] != 0)
            {
                await p.DisposeAsync().ConfigureAwait(false);
                throw new IOException($"CONNECT refused (packet 0x{type:X2}, return code {(payload.Length > 1 ? payload[1] : -1)})");
            }

            return p;
        }

        /// <summary>QoS 1 PUBLISH; returns when the broker's PUBACK for it arrived.</summary>
        public async Task PublishAsync(string topic, byte[] payload, CancellationToken ct)
        {
            _packetId = (ushort)(_packetId == ushort.MaxValue ? 1 : _packetId + 1);
            var body = new MemoryStream();
            WriteString(body, topic);
            body.WriteByte((byte)(_packetId >> 8));
            body.WriteByte((byte)_packetId);
            body.Write(payload);
            await SendAsync(0x32, body.ToArray(), ct).ConfigureAwait(false);
            var (type, ack) = await ReadPacketAsync(ct).ConfigureAwait(false);
            if (type != 0x40 || ack.Length < 2 || ((ack[0] << 8) | ack[1]) != _packetId)
            {
                throw new IOException($"expected PUBACK {_packetId}, got packet 0x{type:X2}");
            }
        }

        /// <summary>DISCONNECT and close.</summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                await SendAsync(0xE0, Array.Empty<byte>(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException)
            {
            }

            await _stream.DisposeAsync().ConfigureAwait(false);
            _tcp.Dispose();
        }

        private async Task SendAsync(byte type, byte[] body, CancellationToken ct)
        {
            var packet = new MemoryStream();
            packet.WriteByte(type);
            var n = body.Length;
            do
            {
                var b = (byte)(n % 128);
                n /= 128;
                packet.WriteByte(n > 0 ? (byte)(b | 0x80) : b);
            }
            while (n > 0);
            packet.Write(body);
            await _stream.WriteAsync(packet.ToArray(), ct).ConfigureAwait(false);
            await _stream.FlushAsync(ct).ConfigureAwait(false);
        }

        private async Task<(byte Type, byte[] Body)> ReadPacketAsync(CancellationToken ct)
        {
            await _stream.ReadExactlyAsync(_header.AsMemory(0, 1), ct).ConfigureAwait(false);
            int length = 0, shift = 0;
            byte b;
            do
            {
                await _stream.ReadExactlyAsync(_header.AsMemory(1, 1), ct).ConfigureAwait(false);
                b = _header[1];
                length |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0 && shift < 28);
            var body = new byte[length];
            await _stream.ReadExactlyAsync(body, ct).ConfigureAwait(false);
            return ((byte)(_header[0] & 0xF0), body);
        }

        private static void WriteString(Stream s, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            s.WriteByte((byte)(bytes.Length >> 8));
            s.WriteByte((byte)bytes.Length);
            s.Write(bytes);
        }
    }
}
