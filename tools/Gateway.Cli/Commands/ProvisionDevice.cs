using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Control;
using Gateway.Core.Codec;

namespace Gateway.Cli.Commands
{
    /// <summary>What <c>./gateway provision</c> was asked to do.</summary>
    public sealed record ProvisionRequest(uint DeviceId, string KeyFile, string OutDirectory, bool Rotate, string JoinEuiHex);

    /// <summary>What it did: identifiers and paths only (never a secret).</summary>
    public sealed record ProvisionResult(uint DeviceId, int KeyId, string DevEui, string JoinEui, string ScriptPath, string LorawanPath, string KeyFile, int DevicesInKeyFile, int KeysInKeyFile, bool Rotated);

    /// <summary>Refusal with a reason and an exit code (2 = would overwrite, 1 = bad input or file).</summary>
    public sealed class ProvisionRefusedException : Exception
    {
        /// <summary>Creates the refusal.</summary>
        public ProvisionRefusedException(string message, int exitCode)
            : base(message)
        {
            ExitCode = exitCode;
        }

        /// <summary>Process exit code for the refusal.</summary>
        public int ExitCode { get; }
    }

    /// <summary>
    /// Creates a gateway's secrets and the two files that carry them: the device's provisioning script (console
    /// lines) and the cloud receiver's key file entry. Keys come from the OS CSPRNG; files are created mode 600 and the
    /// key file is replaced atomically (write beside, then rename), so an interrupted run leaves the old file intact.
    /// </summary>
    public static class DeviceProvisioner
    {
        private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        /// <summary>Generates the secrets, writes the files and returns what was written.</summary>
        /// <exception cref="ProvisionRefusedException">The device already has a key (without rotate), or the key file is unreadable.</exception>
        public static ProvisionResult Run(ProvisionRequest request)
        {
            if (request.DeviceId == 0)
            {
                throw new ProvisionRefusedException("device id must be 1..4294967295", 1);
            }

            if (!HexText.TryParse(request.JoinEuiHex, 8, out var joinEui))
            {
                throw new ProvisionRefusedException("--join-eui must be 16 hex digits", 1);
            }

            // Nothing secret is generated or written before every place it goes is known to be there.
            var keyFolder = Path.GetDirectoryName(Path.GetFullPath(request.KeyFile))!;
            if (Directory.Exists(request.KeyFile))
            {
                throw new ProvisionRefusedException($"--key-file {request.KeyFile}: is a folder, not a key file", 2);
            }

            if (!Directory.Exists(keyFolder))
            {
                throw new ProvisionRefusedException($"--key-file {request.KeyFile}: the folder {keyFolder} does not exist (create it first, or name another key file)", 2);
            }

            if (File.Exists(request.OutDirectory))
            {
                throw new ProvisionRefusedException($"--out {request.OutDirectory}: is a file, not a folder", 2);
            }

            var keys = LoadKeyFile(request.KeyFile);
            var devices = (JsonArray)keys["devices"]!;
            var existing = devices.OfType<JsonObject>().Where(d => (uint?)d["device_id"]?.GetValue<long>() == request.DeviceId).ToList();
            if (existing.Count > 0 && !request.Rotate)
            {
                var ids = string.Join(", ", existing.Select(d => d["key_id"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture)));
                throw new ProvisionRefusedException($"device {request.DeviceId} already has key id {ids} in {request.KeyFile}; use --rotate to add a new key", 2);
            }

            var keyId = existing.Count == 0 ? 1 : (int)existing.Max(d => d["key_id"]!.GetValue<long>()) + 1;
            if (keyId > 255)
            {
                throw new ProvisionRefusedException($"device {request.DeviceId} has used every key id (1..255)", 2);
            }

            var deviceKey = RandomNumberGenerator.GetBytes(32);
            var devEui = RandomNumberGenerator.GetBytes(8);
            devEui[0] = (byte)((devEui[0] & 0xFC) | 0x02); // locally administered, unicast (IEEE EUI-64 U/L and I/G bits)
            var appKey = RandomNumberGenerator.GetBytes(16);
            var rotated = existing.Count > 0;

            Directory.CreateDirectory(request.OutDirectory);
            var scriptPath = Path.Combine(request.OutDirectory, $"device-{request.DeviceId}.key{keyId}.provision.txt");
            var lorawanPath = Path.Combine(request.OutDirectory, $"device-{request.DeviceId}.key{keyId}.lorawan.json");
            var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

            var script = new StringBuilder();
            script.Append("# Gateway provisioning script for device ").Append(request.DeviceId).Append(", key id ").Append(keyId).Append(", generated ").Append(now).Append('\n');
            script.Append("# CONTAINS SECRETS: send it to the gateway console, then delete it.\n");
            script.Append("# Each line is answered by OK or ERR <reason>.\n");
            if (!rotated)
            {
                script.Append("provision device-id ").Append(request.DeviceId).Append('\n');
            }

            script.Append("provision key ").Append(keyId).Append(' ').Append(HexText.ToHex(deviceKey)).Append('\n');
            if (!rotated)
            {
                script.Append("provision lora ").Append(HexText.ToHex(devEui)).Append(' ').Append(HexText.ToHex(joinEui)).Append(' ').Append(HexText.ToHex(appKey)).Append('\n');
            }
            else
            {
                script.Append("# Key rotation: the gateway refuses to send until its configuration names the new key:\n");
                script.Append("# config set <the configuration with \"keys\":{\"key_id\":").Append(keyId).Append("}>\n");
            }

            script.Append("status\n");
            WriteOwnerOnly(scriptPath, script.ToString());

            if (!rotated)
            {
                var lorawan = new JsonObject
                {
                    ["device_id"] = (long)request.DeviceId,
                    ["dev_eui"] = HexText.ToHex(devEui),
                    ["join_eui"] = HexText.ToHex(joinEui),
                    ["app_key"] = HexText.ToHex(appKey),
                    ["region"] = "AS923-1",
                    ["note"] = "register on the LoRaWAN network server (OTAA, LoRaWAN 1.0.x); contains a secret",
                };
                WriteOwnerOnly(lorawanPath, lorawan.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            }

            devices.Add(new JsonObject
            {
                ["device_id"] = (long)request.DeviceId,
                ["key_id"] = (long)keyId,
                ["key_hex"] = HexText.ToHex(deviceKey),
            });
            var tmp = request.KeyFile + ".tmp";
            WriteOwnerOnly(tmp, keys.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            File.Move(tmp, request.KeyFile, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(request.KeyFile, OwnerOnly);
            }

            var deviceCount = devices.OfType<JsonObject>().Select(d => d["device_id"]!.GetValue<long>()).Distinct().Count();
            return new ProvisionResult(request.DeviceId, keyId, HexText.ToHex(devEui), HexText.ToHex(joinEui), scriptPath, rotated ? "" : lorawanPath,
                request.KeyFile, deviceCount, devices.Count, rotated);
        }

        private static JsonObject LoadKeyFile(string path)
        {
            if (!File.Exists(path))
            {
                return new JsonObject { ["devices"] = new JsonArray() };
            }

            try
            {
                var node = JsonNode.Parse(File.ReadAllText(path));
                if (node is JsonObject obj && obj["devices"] is JsonArray devices
                    && devices.All(d => d is JsonObject o && o["device_id"] is JsonValue && o["key_id"] is JsonValue && o["key_hex"] is JsonValue))
                {
                    return obj;
                }
            }
            catch (JsonException)
            {
            }

            throw new ProvisionRefusedException($"{path} is not a key file ({{\"devices\":[{{\"device_id\",\"key_id\",\"key_hex\"}}]}}); not touching it", 1);
        }

        private static void WriteOwnerOnly(string path, string text)
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(path, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, OwnerOnly); // an existing file keeps its mode on FileMode.Create
            }
        }
    }
}
