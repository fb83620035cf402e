using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace Gateway.Virtual.Mqtt
{
    /// <summary>
    /// A small safe wrapper over libmosquitto (the Eclipse Mosquitto C client): MQTT 3.1.1, client id,
    /// username/password, optional TLS, QoS 1 publish with a wait for the broker's PUBACK, subscriptions that are
    /// renewed on every (re)connect, a message event, libmosquitto's own network thread, and automatic reconnection
    /// with a bounded exponential delay. The host-side counterpart of nanoFramework.M2Mqtt's IMqttClient, used by
    /// the simulator and tests against a real broker.
    /// </summary>
    /// <remarks>Callbacks arrive on libmosquitto's loop thread; handlers must be quick and thread-safe.</remarks>
    public sealed class MosquittoClient : IDisposable
    {
        private static readonly object InitLock = new();
        private static bool _initialised;

        private readonly IntPtr _handle;
        private readonly MosquittoNative.ConnectCallback _onConnect;
        private readonly MosquittoNative.DisconnectCallback _onDisconnect;
        private readonly MosquittoNative.PublishCallback _onPublish;
        private readonly MosquittoNative.MessageCallback _onMessage;
        private readonly List<(string pattern, int qos)> _subscriptions = new();
        private readonly ConcurrentDictionary<int, ManualResetEventSlim> _awaitingAck = new();
        private readonly ManualResetEventSlim _connected = new(false);
        private readonly object _sync = new();
        private bool _started;
        private bool _disposed;

        /// <summary>Creates a client. <paramref name="cleanSession"/> false keeps subscriptions and queued QoS 1 messages on the broker across disconnects.</summary>
        public MosquittoClient(string clientId, bool cleanSession = true)
        {
            EnsureLibrary();
            ClientId = clientId;
            _handle = MosquittoNative.mosquitto_new(clientId, cleanSession, IntPtr.Zero);
            if (_handle == IntPtr.Zero)
            {
                throw new InvalidOperationException("mosquitto_new failed (out of memory or invalid client id)");
            }

            MosquittoNative.mosquitto_int_option(_handle, MosquittoNative.MOSQ_OPT_PROTOCOL_VERSION, MosquittoNative.MQTT_PROTOCOL_V311);

            // Small QoS 1 packets that wait for their acknowledgement: no Nagle delay (40 ms a round trip otherwise).
            MosquittoNative.mosquitto_int_option(_handle, MosquittoNative.MOSQ_OPT_TCP_NODELAY, 1);

            // The delegates are fields so the garbage collector never frees what native code calls.
            _onConnect = OnConnect;
            _onDisconnect = OnDisconnect;
            _onPublish = OnPublish;
            _onMessage = OnMessage;
            MosquittoNative.mosquitto_connect_callback_set(_handle, _onConnect);
            MosquittoNative.mosquitto_disconnect_callback_set(_handle, _onDisconnect);
            MosquittoNative.mosquitto_publish_callback_set(_handle, _onPublish);
            MosquittoNative.mosquitto_message_callback_set(_handle, _onMessage);
            SetReconnectDelay(1, 30, exponential: true);
        }

        /// <summary>The client id given to the broker.</summary>
        public string ClientId { get; }

        /// <summary>True while connected to the broker.</summary>
        public bool IsConnected => _connected.IsSet;

        /// <summary>Successful connections so far (the first one and every reconnection).</summary>
        public int ConnectCount { get; private set; }

        /// <summary>Connections lost or closed so far.</summary>
        public int DisconnectCount { get; private set; }

        /// <summary>Raised on the loop thread for each message on a subscribed topic.</summary>
        public event Action<MqttMessage>? MessageReceived;

        /// <summary>The version of the loaded libmosquitto, e.g. "2.0.11".</summary>
        public static string LibraryVersion
        {
            get
            {
                EnsureLibrary();
                MosquittoNative.mosquitto_lib_version(out int a, out int b, out int c);
                return $"{a}.{b}.{c}";
            }
        }

        /// <summary>Sets the username and password sent in CONNECT (before <see cref="Start"/>).</summary>
        public void SetCredentials(string username, string password) =>
            Check(MosquittoNative.mosquitto_username_pw_set(_handle, username, password), "username_pw_set");

        /// <summary>Turns TLS on with a CA file (and optionally a client certificate and key). Leave off for loopback tests.</summary>
        public void SetTls(string caFile, string? certFile = null, string? keyFile = null) =>
            Check(MosquittoNative.mosquitto_tls_set(_handle, caFile, null, certFile, keyFile, IntPtr.Zero), "tls_set");

        /// <summary>Reconnection delay: from <paramref name="minSeconds"/> doubling to <paramref name="maxSeconds"/> when exponential.</summary>
        public void SetReconnectDelay(uint minSeconds, uint maxSeconds, bool exponential) =>
            Check(MosquittoNative.mosquitto_reconnect_delay_set(_handle, minSeconds, maxSeconds, exponential), "reconnect_delay_set");

        /// <summary>
        /// Starts connecting in the background and starts the network thread; the thread keeps reconnecting after any
        /// loss. Use <see cref="WaitConnected"/> to wait for the first connection.
        /// </summary>
        public void Start(string host, int port, int keepAliveSeconds = 30)
        {
            lock (_sync)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_started)
                {
                    throw new InvalidOperationException("already started");
                }

                // connect_async may report a refused first attempt; the loop thread retries regardless.
                MosquittoNative.mosquitto_connect_async(_handle, host, port, keepAliveSeconds);
                Check(MosquittoNative.mosquitto_loop_start(_handle), "loop_start");
                _started = true;
            }
        }

        /// <summary>Waits until connected; false on timeout.</summary>
        public bool WaitConnected(TimeSpan timeout) => _connected.Wait(timeout);

        /// <summary>Subscribes now (if connected) and again after every reconnection.</summary>
        public void Subscribe(string pattern, int qos = 1)
        {
            lock (_sync)
            {
                _subscriptions.Add((pattern, qos));
            }

            if (IsConnected)
            {
                MosquittoNative.mosquitto_subscribe(_handle, out _, pattern, qos);
            }
        }

        /// <summary>
        /// Publishes and, for QoS 1 or 2, waits up to <paramref name="timeout"/> for the broker's acknowledgement.
        /// True when acknowledged (QoS 0: when handed to the library). Acknowledgement by the broker is not delivery to
        /// the cloud application; that comes back on the application's ack topic.
        /// </summary>
        public bool Publish(string topic, byte[] payload, int qos, bool retain, TimeSpan timeout)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // No lock around the native call: the loop thread may deliver the PUBACK before mosquitto_publish returns,
            // so the waiter and the callback meet through GetOrAdd on the message id, whoever comes first.
            int rc = MosquittoNative.mosquitto_publish(_handle, out int mid, topic, payload.Length, payload, qos, retain);
            if (rc != MosquittoNative.MOSQ_ERR_SUCCESS)
            {
                LastError = MosquittoNative.ErrorText(rc);
                return false;
            }

            if (qos == 0)
            {
                return true;
            }

            var done = _awaitingAck.GetOrAdd(mid, _ => new ManualResetEventSlim(false));
            bool acked = done.Wait(timeout) || done.IsSet;
            _awaitingAck.TryRemove(mid, out _);
            if (!acked)
            {
                LastError = "no PUBACK within " + timeout.TotalMilliseconds + " ms";
            }

            return acked;
        }

        /// <summary>Text of the last failure of <see cref="Publish"/>.</summary>
        public string? LastError { get; private set; }

        /// <summary>Disconnects, stops the network thread and frees the native client.</summary>
        public void Dispose()
        {
            bool started;
            lock (_sync)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                started = _started;
            }

            // Outside the lock: loop_stop joins the network thread, which may be waiting for the lock in a callback.
            if (started)
            {
                MosquittoNative.mosquitto_disconnect(_handle);
                MosquittoNative.mosquitto_loop_stop(_handle, false);
            }

            MosquittoNative.mosquitto_destroy(_handle);
        }

        private void OnConnect(IntPtr mosq, IntPtr obj, int rc)
        {
            if (rc != 0)
            {
                return; // refused (bad credentials...): the loop retries; IsConnected stays false
            }

            ConnectCount++;
            (string, int)[] subs;
            lock (_sync)
            {
                subs = _subscriptions.ToArray();
            }

            foreach (var (pattern, qos) in subs)
            {
                MosquittoNative.mosquitto_subscribe(mosq, out _, pattern, qos);
            }

            _connected.Set();
        }

        private void OnDisconnect(IntPtr mosq, IntPtr obj, int rc)
        {
            DisconnectCount++;
            _connected.Reset();
        }

        private void OnPublish(IntPtr mosq, IntPtr obj, int mid)
        {
            _awaitingAck.GetOrAdd(mid, _ => new ManualResetEventSlim(false)).Set();
        }

        private void OnMessage(IntPtr mosq, IntPtr obj, IntPtr messagePtr)
        {
            var m = Marshal.PtrToStructure<MosquittoNative.Message>(messagePtr);
            var payload = new byte[Math.Max(0, m.PayloadLength)];
            if (m.PayloadLength > 0)
            {
                Marshal.Copy(m.Payload, payload, 0, m.PayloadLength);
            }

            string topic = Marshal.PtrToStringUTF8(m.Topic) ?? "";
            MessageReceived?.Invoke(new MqttMessage(topic, payload, m.Qos, m.Retain));
        }

        private static void EnsureLibrary()
        {
            lock (InitLock)
            {
                if (_initialised)
                {
                    return;
                }

                try
                {
                    MosquittoNative.mosquitto_lib_init();
                }
                catch (DllNotFoundException e)
                {
                    throw new MosquittoMissingException("libmosquitto.so.1 (Debian package libmosquitto1)", e);
                }

                _initialised = true;
            }
        }

        private static void Check(int rc, string what)
        {
            if (rc != MosquittoNative.MOSQ_ERR_SUCCESS)
            {
                throw new InvalidOperationException($"mosquitto_{what}: {MosquittoNative.ErrorText(rc)}");
            }
        }
    }
}
