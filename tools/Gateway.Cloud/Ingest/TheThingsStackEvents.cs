using System;
using System.Text.Json;

namespace Gateway.Cloud.Ingest
{
    /// <summary>
    /// The Things Stack v3's MQTT integration: uplinks arrive on <c>v3/{applicationId}@{tenantId}/devices/{deviceId}/up</c>;
    /// downlinks are pushed to <c>v3/{applicationId}@{tenantId}/devices/{deviceId}/down/push</c>.
    /// </summary>
    public static class TheThingsStackEvents
    {
        /// <summary>The topic filter that matches every device's uplink messages.</summary>
        public const string UplinkTopicFilter = "v3/+/devices/+/up";

        /// <summary>Reads an uplink message; other message kinds and malformed ones are rejected with a reason.</summary>
        public static IngestResult ReadUplink(ReadOnlySpan<byte> json, DateTimeOffset now)
        {
            if (!JsonEventReader.TryParse(json, out var doc, out var error))
            {
                return IngestResult.Reject(error!);
            }

            using (doc)
            {
                var root = doc!.RootElement;
                var devEui = JsonEventReader.String(root, "end_device_ids", "dev_eui");
                if (!JsonEventReader.IsDevEui(devEui))
                {
                    return IngestResult.Reject("end_device_ids.dev_eui missing or not 16 hex digits");
                }

                if (JsonEventReader.Path(root, "uplink_message") is not { ValueKind: JsonValueKind.Object } up)
                {
                    return IngestResult.Reject("not an uplink message (uplink_message missing)");
                }

                var fPort = JsonEventReader.Integer(up, "f_port");
                if (fPort is null or < 1 or > 223)
                {
                    return IngestResult.Reject("uplink_message.f_port missing or outside 1..223");
                }

                if (!JsonEventReader.TryBase64(JsonEventReader.String(up, "frm_payload"), out var payload) || payload.Length == 0)
                {
                    return IngestResult.Reject("uplink_message.frm_payload missing or not base64");
                }

                double? rssi = null, snr = null;
                if (JsonEventReader.Path(up, "rx_metadata") is { ValueKind: JsonValueKind.Array } rx)
                {
                    foreach (var g in rx.EnumerateArray())
                    {
                        var r = JsonEventReader.Number(g, "rssi");
                        if (r is not null && (rssi is null || r > rssi))
                        {
                            rssi = r;
                            snr = JsonEventReader.Number(g, "snr");
                        }
                    }
                }

                var sf = JsonEventReader.Integer(up, "settings", "data_rate", "lora", "spreading_factor");
                var fCnt = JsonEventReader.Integer(up, "f_cnt") ?? 0;
                return new IngestResult(
                    new NetworkUplink(devEui!.ToUpperInvariant(), (int)fPort, (uint)fCnt, payload,
                        JsonEventReader.Time(root, now, "received_at"), rssi, snr, sf is null ? null : (int)sf),
                    null);
            }
        }

        /// <summary>The topic to push a downlink to.</summary>
        public static string DownlinkTopic(string applicationAtTenant, string deviceId) => $"v3/{applicationAtTenant}/devices/{deviceId}/down/push";

        /// <summary>The JSON body of a downlink push.</summary>
        public static string DownlinkJson(int fPort, byte[] payload) =>
            JsonSerializer.Serialize(new { downlinks = new[] { new { f_port = fPort, frm_payload = Convert.ToBase64String(payload), priority = "NORMAL" } } });
    }
}
