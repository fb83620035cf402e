using System;
using System.Diagnostics;
using Gateway.Bindings.Rak3172;
using Gateway.Bindings.Sim7080;
using Gateway.Control.Config;
using Gateway.Core.Uplink;
using Gateway.Hardware.Esp32.Uplink;
using nanoFramework.M2Mqtt;

namespace Gateway.Firmware
{
    /// <summary>The composition's transport: the RAK3172, the SIM7080G or the Wi-Fi MQTT client, as the configuration names it.</summary>
    public sealed partial class GatewayComposition
    {
        private IUplinkTransport BuildTransport(GatewayConfig config)
        {
            if (config.PrimaryTransport == TransportKind.Lora)
            {
                Rak3172Settings s = new Rak3172Settings();
                Array.Copy(Provisioning.DevEui, s.DevEui, 8);
                Array.Copy(Provisioning.JoinEui, s.JoinEui, 8);
                Provisioning.TryCopyAppKey(s.AppKey, 0);
                _budget = new DwellTimeBudget(new DwellTimeSettings());
                SleepState.RestoreBudget(_budget, Clock.WallTimeMs);
                SerialPortLine line = new SerialPortLine("COM2", _board.Pins.RadioBaud, Rak3172.LineCapacity);
                Rak3172 driver = new Rak3172(line, Clock, s, new DeviceRandom(), _budget);
                Radio = driver;
                Rak3172Status status = driver.Initialize();
                if (status != Rak3172Status.Ok)
                {
                    Debug.WriteLine("RAK3172 initialise: " + status.ToString());
                }

                return new Rak3172Transport(driver, _budget, Clock);
            }

            if (config.MqttHost == null || config.MqttHost.Length == 0)
            {
                _sendRefusal = "no MQTT host in the configuration (transport.mqtt.host)";
                return null;
            }

            if (config.PrimaryTransport == TransportKind.Cellular)
            {
                // LTE-M / NB-IoT through the SIM7080G's own MQTT client on COM2; the modem is brought up (power,
                // attach, PDP, MQTT) lazily by the transport's EnsureReady when the node first sends.
                Sim7080Settings s = new Sim7080Settings();
                s.Apn = config.CellularApn;
                s.ApnUser = config.CellularUser;
                s.ApnPassword = config.CellularPassword;
                s.NetworkMode = CellularModeOf(config.CellularMode);
                s.BrokerHost = config.MqttHost;
                s.BrokerPort = config.MqttPort;
                s.UseTls = config.MqttTls;
                s.DeviceId = Provisioning.DeviceId.ToString();
                s.MqttUser = Provisioning.MqttUser;
                s.MqttPassword = Provisioning.MqttPasswordForTransport();
                SerialPortLine line = new SerialPortLine("COM2", _board.Pins.RadioBaud, Sim7080.LineCapacity);
                Esp32ModemPowerKey powerKey = new Esp32ModemPowerKey(_board.Gpio, _board.Pins.RadioControl);
                _cellular = new Sim7080Transport(new Sim7080(line, Clock, s, powerKey), Clock);
                _cellular.ClockSetter = Clock; // the network's time while the clock is still unknown
                SleepState.RestoreCellularBackoff(_cellular);
                return _cellular;
            }

            if (config.PrimaryTransport == TransportKind.Wifi)
            {
                // Wi-Fi credentials are the runtime's stored network configuration (set once with the device
                // explorer or nanoff); the MQTT client connects when the node first sends.
                MqttClient client = new MqttClient(config.MqttHost, config.MqttPort, config.MqttTls, null, null,
                    config.MqttTls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                Mqtt = client;
                return new M2MqttTransport(client, Provisioning.DeviceId.ToString(), Provisioning.MqttUser,
                    Provisioning.MqttPasswordForTransport(), 1024);
            }

            _sendRefusal = "no transport for " + config.PrimaryTransport.ToString();
            return null;
        }

        private static CellularNetworkMode CellularModeOf(CellularMode mode)
        {
            switch (mode)
            {
                case CellularMode.NbIot:
                    return CellularNetworkMode.NbIot;
                case CellularMode.Both:
                    return CellularNetworkMode.CatMAndNbIot;
                default:
                    return CellularNetworkMode.CatM;
            }
        }
    }
}
