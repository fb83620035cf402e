namespace Gateway.Bindings.Sim7080
{
    /// <summary>
    /// What the <see cref="Sim7080"/> driver needs: access point, broker, identity, radio mode and the timeouts (each
    /// explained in README.md). Defaults are the values the README argues for; tests shorten nothing (they run in
    /// virtual time).
    /// </summary>
    public sealed class Sim7080Settings
    {
        /// <summary>Access point name of the carrier's IoT plan (1..63 chars), e.g. "soracom.io".</summary>
        public string Apn = "";

        /// <summary>APN user name ("" for none).</summary>
        public string ApnUser = "";

        /// <summary>APN password ("" for none).</summary>
        public string ApnPassword = "";

        /// <summary>Broker host name or address.</summary>
        public string BrokerHost = "";

        /// <summary>Broker TCP port (8883 with TLS, 1883 without).</summary>
        public int BrokerPort = 8883;

        /// <summary>True to connect with TLS (AT+SMSSL) using the CA certificate already stored in the modem.</summary>
        public bool UseTls = true;

        /// <summary>Name of the CA certificate in the modem's file system (written once with AT+CFSWFILE at provisioning).</summary>
        public string CaFileName = "ca.crt";

        /// <summary>The gateway's device id: topics are gw/{DeviceId}/up|ack|down.</summary>
        public string DeviceId = "";

        /// <summary>MQTT client id ("" = "gw-" + device id).</summary>
        public string ClientId = "";

        /// <summary>MQTT user name ("" for none).</summary>
        public string MqttUser = "";

        /// <summary>MQTT password ("" for none).</summary>
        public string MqttPassword = "";

        /// <summary>LTE flavour (AT+CMNB).</summary>
        public CellularNetworkMode NetworkMode = CellularNetworkMode.CatM;

        /// <summary>MQTT keep-alive, seconds (AT+SMCONF="KEEPTIME"), 60..3600.</summary>
        public int KeepAliveSeconds = 240;

        /// <summary>
        /// Largest payload published at once, bytes (AT+SMPUB content length). 512 is the range SIMCom documents for the
        /// AT+SM client (README.md); raise it only after AT+SMPUB=? on the fitted firmware shows a larger range.
        /// </summary>
        public int MaxPublishBytes = 512;

        /// <summary>Ordinary command reply timeout, ms.</summary>
        public int CommandTimeoutMs = 5000;

        /// <summary>Deadline to be registered on the network, ms.</summary>
        public int AttachTimeoutMs = 180000;

        /// <summary>Interval between registration queries while waiting to attach, ms.</summary>
        public int AttachPollMs = 2000;

        /// <summary>Timeout of AT+CNACT (PDP activation) until "+APP PDP: 0,ACTIVE", ms.</summary>
        public int PdpTimeoutMs = 30000;

        /// <summary>Timeout of AT+SMCONN (TCP/TLS connect plus MQTT CONNACK), ms.</summary>
        public int MqttConnectTimeoutMs = 60000;

        /// <summary>Timeout for the '&gt;' prompt after AT+SMPUB, ms.</summary>
        public int PromptTimeoutMs = 10000;

        /// <summary>Timeout of the OK after the payload of AT+SMPUB (QoS 1: the broker's PUBACK), ms.</summary>
        public int PublishTimeoutMs = 30000;

        /// <summary>
        /// A deep sleep at least this long switches the modem off (<see cref="Sim7080Transport.Suspend"/>), ms; 0 keeps it
        /// registered through every sleep. The default (4 min) powers it down between quiet-mode samples (every 5 min)
        /// and keeps it up through observing and rapid cadence, where sends and alarms come every few minutes.
        /// </summary>
        public int PowerDownSleepMs = 240000;

        /// <summary>Time the modem needs from PWRKEY release to "RDY", ms.</summary>
        public int BootTimeoutMs = 15000;

        /// <summary>The MQTT client id actually used.</summary>
        public string EffectiveClientId
        {
            get { return ClientId != null && ClientId.Length > 0 ? ClientId : "gw-" + DeviceId; }
        }
    }
}
