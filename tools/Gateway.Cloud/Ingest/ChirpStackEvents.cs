using System;
using System.Text.Json;

namespace Gateway.Cloud.Ingest
{
    /// <summary>
    /// ChirpStack v4's MQTT integration: uplinks arrive as JSON on
    /// <c>application/{applicationId}/device/{devEui}/event/up</c>; downlinks are enqueued by publishing to
    /// <c>application/{applicationId}/device/{devEui}/command/down</c>.
    /// </summary>
    public static class ChirpStackEvents
    {
        /// <summary>The topic filter that matches every device's uplink events.</summary>
        public const string UplinkTopicFilter = "application/+/device/+/event/up";

        /// <summary>Reads an uplink event; a malformed or incomplete one is rejected with a reason.</summary>
        public static IngestResult ReadUplink(ReadOnlySpan<byte> json, DateTimeOffset now)
        {
            if (!JsonEventReader.TryParse(json, out var doc, out var error))
            {
                return IngestResult.Reject(error!);
            }

            using (doc)
            {
                var root = doc!.RootElement;
                var devEui = JsonEventReader.String(root, "deviceInfo", "devEui");
                if (!JsonEventReader.IsDevEui(devEui))
                {
                    return IngestResult.Reject("deviceInfo.devEui missing or not 16 hex digits");
                }

                var fPort = JsonEventReader.Integer(root, "fPort");
                if (fPort is null or < 1 or > 223)
                {
                    return IngestResult.Reject("fPort missing or outside 1..223 (no application payload)");
                }

                if (!JsonEventReader.TryBase64(JsonEventReader.String(root, "data"), out var payload) || payload.Length == 0)
                {
                    return IngestResult.Reject("data missing or not base64");
                }

                var fCnt = JsonEventReader.Integer(root, "fCnt") ?? 0;
                double? rssi = null, snr = null;
                if (JsonEventReader.Path(root, "rxInfo") is { ValueKind: JsonValueKind.Array } rx)
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

                var sf = JsonEventReader.Integer(root, "txInfo", "modulation", "lora", "spreadingFactor");
                return new IngestResult(
                    new NetworkUplink(devEui!.ToUpperInvariant(), (int)fPort, (uint)fCnt, payload,
                        JsonEventReader.Time(root, now, "time"), rssi, snr, sf is null ? null : (int)sf),
                    null);
            }
        }

        /// <summary>The topic to publish a downlink to for a device.</summary>
        public static string DownlinkTopic(string applicationId, string devEui) => $"application/{applicationId}/device/{devEui.ToLowerInvariant()}/command/down";

        /// <summary>The JSON body of a downlink enqueue command.</summary>
        public static string DownlinkJson(string devEui, int fPort, byte[] payload, bool confirmed = false) =>
            JsonSerializer.Serialize(new { devEui = devEui.ToLowerInvariant(), confirmed, fPort, data = Convert.ToBase64String(payload) });

        /// <summary>The application id in an uplink topic (<c>application/{id}/device/...</c>), or null.</summary>
        public static string? ApplicationIdFromTopic(string topic)
        {
            var parts = topic.Split('/');
            return parts.Length >= 4 && parts[0] == "application" && parts[2] == "device" ? parts[1] : null;
        }
    }
}
