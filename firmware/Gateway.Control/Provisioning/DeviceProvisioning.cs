using System;
using System.Collections;
using System.Text;
using Gateway.Control.Json;
using Gateway.Core.Codec;

namespace Gateway.Control.Provisioning
{
    /// <summary>
    /// The gateway's identity and secrets, set once by the technician (console or provisioning script) and kept
    /// apart from the configuration: device id, device key (32 bytes, HMAC-SHA256) with its key id, LoRaWAN OTAA
    /// identifiers and AppKey, MQTT credentials. There are no defaults: a new gateway has no key and refuses to send
    /// (<see cref="SendGuard"/>). Every setter persists at once through <see cref="IDurableBlobs"/> (one blob,
    /// replaced atomically). Secrets are only ever shown masked (<see cref="HexText.Mask"/>).
    /// </summary>
    /// <remarks>
    /// The blob is plain in the config partition; protecting it at rest needs ESP32 flash encryption (a board
    /// set-up step, see the firmware README), not something this class can provide.
    /// </remarks>
    public sealed class DeviceProvisioning
    {
        /// <summary>Name of the provisioning blob.</summary>
        public const string BlobName = "control.provisioning";

        /// <summary>Length of the device key in bytes (HMAC-SHA256 key).</summary>
        public const int DeviceKeyLength = 32;

        private readonly IDurableBlobs _blobs;
        private uint _deviceId;
        private byte _keyId;
        private byte[] _deviceKey;
        private byte[] _devEui;
        private byte[] _joinEui;
        private byte[] _appKey;
        private string _mqttUser = "";
        private string _mqttPassword = "";

        /// <summary>Loads the persisted provisioning (an unreadable blob counts as not provisioned).</summary>
        public DeviceProvisioning(IDurableBlobs blobs)
        {
            _blobs = blobs;
            Load();
        }

        /// <summary>True once a device id and a device key are set: the minimum to sign and send.</summary>
        public bool IsComplete
        {
            get { return _deviceId != 0 && _deviceKey != null; }
        }

        /// <summary>True when a device id is set.</summary>
        public bool HasDeviceId
        {
            get { return _deviceId != 0; }
        }

        /// <summary>The device id (0 = not set). Carried in every batch header.</summary>
        public uint DeviceId
        {
            get { return _deviceId; }
        }

        /// <summary>True when a device key is set.</summary>
        public bool HasDeviceKey
        {
            get { return _deviceKey != null; }
        }

        /// <summary>Id of the device key (1..255; 0 = no key).</summary>
        public byte KeyId
        {
            get { return _keyId; }
        }

        /// <summary>True when DevEUI, JoinEUI and AppKey are set (LoRaWAN OTAA can join).</summary>
        public bool HasLora
        {
            get { return _appKey != null; }
        }

        /// <summary>LoRaWAN DevEUI (8 bytes, as written: most significant byte first), or null.</summary>
        public byte[] DevEui
        {
            get { return _devEui; }
        }

        /// <summary>LoRaWAN JoinEUI / AppEUI (8 bytes, most significant first), or null.</summary>
        public byte[] JoinEui
        {
            get { return _joinEui; }
        }

        /// <summary>MQTT user name ("" when not set).</summary>
        public string MqttUser
        {
            get { return _mqttUser; }
        }

        /// <summary>True when an MQTT password is set.</summary>
        public bool HasMqttPassword
        {
            get { return _mqttPassword.Length > 0; }
        }

        /// <summary>Sets the device id (1..4294967295) and persists it.</summary>
        /// <returns>False (nothing changed) for id 0.</returns>
        public bool SetDeviceId(uint deviceId)
        {
            if (deviceId == 0)
            {
                return false;
            }

            _deviceId = deviceId;
            Save();
            return true;
        }

        /// <summary>Sets the device key and its id and persists them.</summary>
        /// <returns>False (nothing changed) for key id 0, a key not exactly 32 bytes, or an all-zero key.</returns>
        public bool SetDeviceKey(byte keyId, byte[] key)
        {
            if (keyId == 0 || key == null || key.Length != DeviceKeyLength || HexText.IsAllZero(key))
            {
                return false;
            }

            _keyId = keyId;
            _deviceKey = (byte[])key.Clone();
            Save();
            return true;
        }

        /// <summary>Copies the device key into <paramref name="destination"/> (32 bytes from <paramref name="offset"/>) for the HMAC implementation.</summary>
        /// <returns>False when no key is set.</returns>
        public bool TryCopyDeviceKey(byte[] destination, int offset)
        {
            if (_deviceKey == null || destination == null || offset < 0 || offset + DeviceKeyLength > destination.Length)
            {
                return false;
            }

            Array.Copy(_deviceKey, 0, destination, offset, DeviceKeyLength);
            return true;
        }

        /// <summary>Sets the LoRaWAN OTAA identity and persists it.</summary>
        /// <returns>False (nothing changed) unless DevEUI and JoinEUI are 8 bytes and AppKey 16 bytes, DevEUI and AppKey not all zero.</returns>
        public bool SetLora(byte[] devEui, byte[] joinEui, byte[] appKey)
        {
            if (devEui == null || devEui.Length != 8 || joinEui == null || joinEui.Length != 8 || appKey == null || appKey.Length != 16
                || HexText.IsAllZero(devEui) || HexText.IsAllZero(appKey))
            {
                return false;
            }

            _devEui = (byte[])devEui.Clone();
            _joinEui = (byte[])joinEui.Clone();
            _appKey = (byte[])appKey.Clone();
            Save();
            return true;
        }

        /// <summary>Copies the LoRaWAN AppKey (16 bytes) for the module driver.</summary>
        /// <returns>False when not set.</returns>
        public bool TryCopyAppKey(byte[] destination, int offset)
        {
            if (_appKey == null || destination == null || offset < 0 || offset + 16 > destination.Length)
            {
                return false;
            }

            Array.Copy(_appKey, 0, destination, offset, 16);
            return true;
        }

        /// <summary>Sets the MQTT credentials (user 1..64 chars, password 0..128 chars) and persists them.</summary>
        /// <returns>False (nothing changed) when out of range.</returns>
        public bool SetMqttCredentials(string user, string password)
        {
            if (user == null || user.Length == 0 || user.Length > 64 || password == null || password.Length > 128)
            {
                return false;
            }

            _mqttUser = user;
            _mqttPassword = password;
            Save();
            return true;
        }

        /// <summary>The MQTT password for the transport ("" when not set). Never print it.</summary>
        public string MqttPasswordForTransport()
        {
            return _mqttPassword;
        }

        /// <summary>One line per item with every secret masked, for the console's status.</summary>
        public string[] DescribeMasked()
        {
            return new string[]
            {
                "device-id: " + (_deviceId == 0 ? "(not set)" : _deviceId.ToString()),
                "device-key: " + (_deviceKey == null ? "(not set)" : "id " + _keyId.ToString() + ", " + HexText.Mask(_deviceKey)),
                "lora: " + (_appKey == null ? "(not set)" : "deveui " + HexText.ToHex(_devEui) + ", joineui " + HexText.ToHex(_joinEui) + ", appkey " + HexText.Mask(_appKey)),
                "mqtt: " + (_mqttUser.Length == 0 ? "(not set)" : "user " + _mqttUser + ", password " + (_mqttPassword.Length == 0 ? "(none)" : "(set)")),
            };
        }

        // ------------------------------------------------------------------ persistence

        private void Save()
        {
            var t = new Hashtable();
            t["format"] = 1L;
            t["device_id"] = (long)_deviceId;
            t["key_id"] = (long)_keyId;
            t["key"] = _deviceKey == null ? "" : HexText.ToHex(_deviceKey);
            t["dev_eui"] = _devEui == null ? "" : HexText.ToHex(_devEui);
            t["join_eui"] = _joinEui == null ? "" : HexText.ToHex(_joinEui);
            t["app_key"] = _appKey == null ? "" : HexText.ToHex(_appKey);
            t["mqtt_user"] = _mqttUser;
            t["mqtt_password"] = _mqttPassword;
            _blobs.WriteAtomic(BlobName, Encoding.UTF8.GetBytes(JsonWriter.Write(t)));
        }

        private void Load()
        {
            byte[] data;
            if (!_blobs.TryRead(BlobName, out data) || data == null)
            {
                return;
            }

            object tree;
            var reader = new JsonReader(4, 4096, 256);
            string text;
            try
            {
                text = Encoding.UTF8.GetString(data, 0, data.Length);
            }
            catch (Exception)
            {
                return;
            }

            var t = reader.TryParse(text, out tree) ? tree as Hashtable : null;
            if (t == null)
            {
                return;
            }

            object id = t["device_id"];
            if (id is long && (long)id > 0 && (long)id <= uint.MaxValue)
            {
                _deviceId = (uint)(long)id;
            }

            object keyId = t["key_id"];
            byte[] key;
            if (keyId is long && (long)keyId >= 1 && (long)keyId <= 255 && HexText.TryParse(t["key"] as string, DeviceKeyLength, out key))
            {
                _keyId = (byte)(long)keyId;
                _deviceKey = key;
            }

            byte[] devEui;
            byte[] joinEui;
            byte[] appKey;
            if (HexText.TryParse(t["dev_eui"] as string, 8, out devEui) && HexText.TryParse(t["join_eui"] as string, 8, out joinEui)
                && HexText.TryParse(t["app_key"] as string, 16, out appKey))
            {
                _devEui = devEui;
                _joinEui = joinEui;
                _appKey = appKey;
            }

            var user = t["mqtt_user"] as string;
            var password = t["mqtt_password"] as string;
            if (user != null && password != null)
            {
                _mqttUser = user;
                _mqttPassword = password;
            }
        }
    }
}
