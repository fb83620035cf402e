using System;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.Control.Technician
{
    /// <summary>The commands that set the gateway up: status, provision, config.</summary>
    public sealed partial class ConsoleInterpreter
    {
        private void Status()
        {
            WriteLines(_provisioning.DescribeMasked());
            GatewayConfig active = _config.Active;
            if (!_config.HasConfig)
            {
                _port.WriteLine("config: (none; config set <json>)");
            }
            else
            {
                _port.WriteLine("config: site " + active.SiteId + ", generation " + _config.Generation.ToString()
                    + (_config.IsTrial ? ", TRIAL (" + _config.TrialPeriodsElapsed.ToString() + " of " + _config.LastGood.TrialPeriods.ToString() + " periods without uplink)" : ", confirmed"));
            }

            if (_config.RevertCount > 0)
            {
                _port.WriteLine("config reverts: " + _config.RevertCount.ToString() + ", last: " + _config.LastRevertReason);
            }

            string reason;
            _port.WriteLine(_guard.MaySend(active.PrimaryTransport, out reason) ? "send: allowed" : "send: REFUSED, " + reason);
            _port.WriteLine("test-mode: " + (_testMode ? "on" : "off"));
            WriteLines(_services.DescribeStatus());
            Ok();
        }

        private void Provision(int count)
        {
            string what = count >= 2 ? _words[1] : "";
            if (what == "device-id")
            {
                if (!ExpectArgs(count, 3, "provision device-id <n>"))
                {
                    return;
                }

                uint id;
                if (!TryParseUInt32(_words[2], out id) || id == 0)
                {
                    Error("device id must be a decimal number 1..4294967295");
                    return;
                }

                _provisioning.SetDeviceId(id);
                _port.WriteLine("device-id: " + id.ToString());
                Ok();
                return;
            }

            if (what == "key")
            {
                if (!ExpectArgs(count, 4, "provision key <id> <hex>"))
                {
                    return;
                }

                uint keyId;
                if (!TryParseUInt32(_words[2], out keyId) || keyId == 0 || keyId > 255)
                {
                    Error("key id must be 1..255");
                    return;
                }

                byte[] key;
                if (!HexText.TryParse(_words[3], DeviceProvisioning.DeviceKeyLength, out key))
                {
                    Error("key must be exactly 64 hex digits (32 bytes)");
                    return;
                }

                if (!_provisioning.SetDeviceKey((byte)keyId, key))
                {
                    Error("key rejected (all zero?)");
                    return;
                }

                _port.WriteLine("device-key: id " + keyId.ToString() + ", " + HexText.Mask(key));
                if (_config.HasConfig && _config.Active.KeyId != (int)keyId)
                {
                    _port.WriteLine("note: the configuration names key id " + _config.Active.KeyId.ToString() + "; sending stays refused until keys.key_id is " + keyId.ToString());
                }

                Ok();
                return;
            }

            if (what == "lora")
            {
                if (!ExpectArgs(count, 5, "provision lora <deveui> <joineui> <appkey>"))
                {
                    return;
                }

                byte[] devEui;
                byte[] joinEui;
                byte[] appKey;
                if (!HexText.TryParse(_words[2], 8, out devEui))
                {
                    Error("deveui must be 16 hex digits");
                    return;
                }

                if (!HexText.TryParse(_words[3], 8, out joinEui))
                {
                    Error("joineui must be 16 hex digits");
                    return;
                }

                if (!HexText.TryParse(_words[4], 16, out appKey))
                {
                    Error("appkey must be 32 hex digits");
                    return;
                }

                if (!_provisioning.SetLora(devEui, joinEui, appKey))
                {
                    Error("deveui and appkey must not be all zero");
                    return;
                }

                _port.WriteLine("lora: deveui " + HexText.ToHex(devEui) + ", joineui " + HexText.ToHex(joinEui) + ", appkey " + HexText.Mask(appKey));
                Ok();
                return;
            }

            if (what == "mqtt")
            {
                if (!ExpectArgs(count, 4, "provision mqtt <user> <password>"))
                {
                    return;
                }

                // The town's broker is what stands between a forged batch and the receiver: no default-like password.
                if (_words[3].Length < 8 || _words[3] == _words[2])
                {
                    Error("password too weak: at least 8 characters and not the user name");
                    return;
                }

                if (!_provisioning.SetMqttCredentials(_words[2], _words[3]))
                {
                    Error("user must be 1..64 characters, password at most 128");
                    return;
                }

                _port.WriteLine("mqtt: user " + _words[2] + ", password (set)");
                Ok();
                return;
            }

            Error("usage: provision device-id <n> | key <id> <hex> | lora <deveui> <joineui> <appkey> | mqtt <user> <password>");
        }

        private void Config(string line, int count)
        {
            string what = count >= 2 ? _words[1] : "";
            if (what == "get")
            {
                if (!ExpectArgs(count, 2, "config get"))
                {
                    return;
                }

                if (!_config.HasConfig)
                {
                    Error("no configuration yet; config set <json>");
                    return;
                }

                _port.WriteLine(_config.ActiveJson());
                Ok();
                return;
            }

            if (what == "set")
            {
                // The document is the rest of the line after "set", spaces included.
                int at = line.IndexOf("set") + 3;
                string json = line.Substring(at).Trim();
                if (json.Length == 0)
                {
                    Error("usage: config set <json>");
                    return;
                }

                var errors = new ConfigErrors();
                if (!_config.Propose(json, errors))
                {
                    for (int i = 0; i < errors.Count; i++)
                    {
                        _port.WriteLine("  " + Printable(errors[i].ToString(), 300));
                    }

                    if (errors.Dropped > 0)
                    {
                        _port.WriteLine("  (" + errors.Dropped.ToString() + " more not shown)");
                    }

                    Error("configuration rejected (" + errors.Total.ToString() + (errors.Total == 1 ? " error" : " errors") + "); the configuration in force is unchanged");
                    return;
                }

                _port.WriteLine(_config.IsTrial
                    ? "configuration applied as a trial: confirmed by the next successful uplink, reverted after " + _config.LastGood.TrialPeriods.ToString() + " sampling periods without one"
                    : "configuration applied");
                Ok();
                return;
            }

            Error("usage: config get | config set <json>");
        }
    }
}
