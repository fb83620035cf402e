using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using Gateway.Bindings.Sim7080;
using Gateway.Virtual.Cellular;
using Gateway.Virtual.LoRa;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Time;

namespace Gateway.Tests.Cellular
{
    /// <summary>
    /// A gateway's cellular side on the host: virtual clock, virtual UART, the SIM7080G emulator whose MQTT client talks
    /// to a real mosquitto broker, its PWRKEY, the portable driver and the transport. A "cloud" client on the broker
    /// sees what the gateway publishes and publishes downlinks. Missing mosquitto fails (MosquittoMissingException).
    /// </summary>
    internal sealed class Sim7080Rig : IDisposable
    {
        public const string DeviceId = "7";
        public static readonly TimeSpan RealWait = TimeSpan.FromSeconds(10);

        public Sim7080Rig(int seed = 1, MosquittoBroker? broker = null, Action<VirtualSim7080>? faults = null, Action<Sim7080Settings>? tune = null)
        {
            OwnsBroker = broker == null;
            Broker = broker ?? new MosquittoBroker(seed);
            Broker.Start();
            Clock = new VirtualClock(1_790_000_000_000L);
            Line = new VirtualSerialLine(Clock);
            Modem = new VirtualSim7080(Line, seed);
            faults?.Invoke(Modem);
            PowerKey = new VirtualModemPowerKey(Clock, Modem);
            Settings = new Sim7080Settings
            {
                Apn = "soracom.io",
                ApnUser = "sora",
                ApnPassword = "sora",
                BrokerHost = Broker.Host,
                BrokerPort = Broker.Port,
                UseTls = false,
                DeviceId = DeviceId,
                MqttUser = Broker.Username,
                MqttPassword = Broker.Password,
                NetworkMode = CellularNetworkMode.CatM,
            };
            tune?.Invoke(Settings);
            Driver = new Sim7080(Line, Clock, Settings, PowerKey);
            Transport = new Sim7080Transport(Driver, Clock);
        }

        public bool OwnsBroker { get; }
        public MosquittoBroker Broker { get; }
        public VirtualClock Clock { get; }
        public VirtualSerialLine Line { get; }
        public VirtualSim7080 Modem { get; }
        public VirtualModemPowerKey PowerKey { get; }
        public Sim7080Settings Settings { get; }
        public Sim7080 Driver { get; }
        public Sim7080Transport Transport { get; }

        /// <summary>A cloud-side client subscribed to the gateway's up topic; received payloads land in <paramref name="received"/>.</summary>
        public MosquittoClient Cloud(ConcurrentQueue<byte[]> received, string id = "cloud")
        {
            var c = new MosquittoClient(id);
            c.SetCredentials(Broker.Username, Broker.Password);
            c.MessageReceived += m =>
            {
                if (m.Topic == "gw/" + DeviceId + "/up")
                {
                    received.Enqueue(m.Payload);
                }
            };
            c.Start(Broker.Host, Broker.Port);
            if (!c.WaitConnected(RealWait))
            {
                throw new InvalidOperationException("cloud client did not connect");
            }

            c.Subscribe("gw/+/up");
            return c;
        }

        /// <summary>Waits in real time (the broker is real) until <paramref name="condition"/> holds or 10 s pass.</summary>
        public static bool WaitReal(Func<bool> condition, TimeSpan? timeout = null)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > (timeout ?? RealWait))
                {
                    return false;
                }

                Thread.Sleep(5);
            }

            return true;
        }

        public void Dispose()
        {
            Modem.Dispose();
            if (OwnsBroker)
            {
                Broker.Dispose();
            }
        }
    }
}

namespace Gateway.Tests.Cellular
{
    using System;
    using System.Collections.Concurrent;
    using System.Text;
    using Gateway.Virtual.Mqtt;

    internal static class RigExtensions
    {
        private static readonly byte[] Probe = Encoding.ASCII.GetBytes("probe");

        /// <summary>Subscriptions are asynchronous: publishes a probe on the up topic until the cloud client receives it, then forgets it.</summary>
        public static void WaitUpSubscribed(this MosquittoClient cloud, ConcurrentQueue<byte[]> received)
        {
            for (int i = 0; i < 50 && received.IsEmpty; i++)
            {
                cloud.Publish("gw/" + Sim7080Rig.DeviceId + "/up", Probe, 1, false, Sim7080Rig.RealWait);
                Sim7080Rig.WaitReal(() => !received.IsEmpty, TimeSpan.FromMilliseconds(200));
            }

            if (received.IsEmpty)
            {
                throw new InvalidOperationException("the cloud subscription never became active");
            }

            while (received.TryDequeue(out _))
            {
            }
        }

        /// <summary>
        /// The modem's subscriptions are asynchronous too: publishes a probe on the down topic the driver subscribed to
        /// (subscribed last, after the ack topic on the same connection; the hex twin without SUBHEX, with a hex payload)
        /// until the emulator turns it into a URC, then takes it out of the driver.
        /// </summary>
        public static void WaitDownSubscribed(this Sim7080Rig rig, MosquittoClient cloud)
        {
            int before = rig.Modem.UrcsQueued;
            bool twins = rig.Driver.SubscribedToHexTwins;
            string topic = twins ? "gw/" + Sim7080Rig.DeviceId + "/down/hex" : "gw/" + Sim7080Rig.DeviceId + "/down";
            byte[] probe = twins ? Encoding.ASCII.GetBytes(Convert.ToHexString(Probe)) : Probe;
            for (int i = 0; i < 50 && rig.Modem.UrcsQueued == before; i++)
            {
                cloud.Publish(topic, probe, 1, false, Sim7080Rig.RealWait);
                Sim7080Rig.WaitReal(() => rig.Modem.UrcsQueued > before, TimeSpan.FromMilliseconds(200));
            }

            if (rig.Modem.UrcsQueued == before)
            {
                throw new InvalidOperationException("the modem's subscription never became active");
            }

            var buffer = new byte[1024];
            while (rig.Transport.PollDownlink(buffer, 0, buffer.Length, out _) >= 0)
            {
            }
        }
    }
}
