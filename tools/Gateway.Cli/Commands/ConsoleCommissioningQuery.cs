using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Cloud.Commissioning;

namespace Gateway.Cli.Commands
{
    /// <summary>Prints a device's stored commissioning records (<c>./gateway cloud query --commissioning --device D</c>).</summary>
    public static class CommissioningQuery
    {
        /// <summary>Prints the rows; returns the exit code (0, or 1 when the device has none).</summary>
        public static int Print(string dbSpec, uint deviceId, bool json, TextWriter output)
        {
            using var store = new CommissioningStore(dbSpec);
            var rows = store.Query(deviceId);
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    device = deviceId,
                    count = rows.Count,
                    commissioning = rows.Select(r => new
                    {
                        key_id = r.KeyId, record_time_ms = r.RecordTimeMs, received_at_ms = r.ReceivedAtMs, transport = r.Transport, passed = r.Passed,
                        tag = r.TagHex, record = r.RecordHex, summary = r.Summary,
                    }),
                }));
            }
            else
            {
                output.WriteLine($"{rows.Count} commissioning record(s) of device {deviceId}");
                foreach (var r in rows)
                {
                    output.WriteLine(Describe(r));
                }
            }

            return rows.Count > 0 ? 0 : 1;
        }

        /// <summary>One stored row, as lines.</summary>
        public static string Describe(CommissioningRow r) =>
            $"device {r.DeviceId} key {r.KeyId} time {DateTimeOffset.FromUnixTimeMilliseconds(r.RecordTimeMs):u} {(r.Passed ? "PASSED" : "FAILED")} via {r.Transport} tag {r.TagHex}\n  "
            + r.Summary.Replace(" | ", "\n  ", StringComparison.Ordinal);
    }
}
