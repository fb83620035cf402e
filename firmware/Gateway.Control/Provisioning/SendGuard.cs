using Gateway.Control.Config;

namespace Gateway.Control.Provisioning
{
    /// <summary>
    /// The check every uplink makes before it sends: a gateway without identity, key or configuration must not send
    /// (an unsigned or wrongly signed reading is worse than none), and it says why so the heartbeat, the console and
    /// the log can show it.
    /// </summary>
    public sealed class SendGuard
    {
        private readonly DeviceProvisioning _provisioning;
        private readonly ConfigManager _config;

        /// <summary>Creates the guard over the provisioning and the configuration in force.</summary>
        public SendGuard(DeviceProvisioning provisioning, ConfigManager config)
        {
            _provisioning = provisioning;
            _config = config;
        }

        /// <summary>
        /// True when the gateway may send over <paramref name="transport"/>; otherwise false with the reason (one
        /// line, no secrets).
        /// </summary>
        public bool MaySend(TransportKind transport, out string reason)
        {
            if (!_provisioning.HasDeviceId)
            {
                reason = "not provisioned: no device id (console: provision device-id <n>)";
                return false;
            }

            if (!_provisioning.HasDeviceKey)
            {
                reason = "not provisioned: no device key (console: provision key <id> <hex>)";
                return false;
            }

            if (!_config.HasConfig)
            {
                reason = "not configured: no configuration (console: config set <json>)";
                return false;
            }

            GatewayConfig active = _config.Active;
            if (active.KeyId != _provisioning.KeyId)
            {
                reason = "key mismatch: configuration names key id " + active.KeyId.ToString() + " but key id " + _provisioning.KeyId.ToString() + " is provisioned";
                return false;
            }

            if (transport == TransportKind.Lora && !_provisioning.HasLora)
            {
                reason = "not provisioned for LoRaWAN: no DevEUI/JoinEUI/AppKey (console: provision lora ...)";
                return false;
            }

            if (transport == TransportKind.None)
            {
                reason = "no transport";
                return false;
            }

            reason = "";
            return true;
        }
    }
}
