using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace Gateway.Cloud.Receiver
{
    /// <summary>One provisioned device key.</summary>
    /// <param name="DeviceId">The gateway.</param>
    /// <param name="KeyId">Key id (rotation: the highest is current).</param>
    /// <param name="Key">The key bytes (at least 16).</param>
    public sealed record DeviceKey(uint DeviceId, byte KeyId, byte[] Key);

    /// <summary>
    /// The receiver's device keys, from the key file <c>./gateway provision</c> writes:
    /// <c>{"devices":[{"device_id":7,"key_id":1,"key_hex":"…64 hex digits…"}]}</c>. Keys stay in the region: the file
    /// lives beside the receiver, readable by it alone (mode 600).
    /// </summary>
    public sealed class KeyRing
    {
        // Copy on write: a reload swaps the whole list, so a reader (the receiver's worker) sees the old or the new.
        private volatile List<DeviceKey> _keys = new();

        /// <summary>Every key, in the order added.</summary>
        public IReadOnlyList<DeviceKey> Keys => _keys;

        /// <summary>Adds a key.</summary>
        public KeyRing Add(uint deviceId, byte keyId, byte[] key)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (key.Length < 16)
            {
                throw new ArgumentException($"device {deviceId}: a key has at least 16 bytes", nameof(key));
            }

            var next = new List<DeviceKey>(_keys) { new DeviceKey(deviceId, keyId, (byte[])key.Clone()) };
            _keys = next;
            return this;
        }

        /// <summary>
        /// Takes the keys of <paramref name="other"/> in one step (SIGHUP: a reloaded key file that passed every check);
        /// the receiver and the commissioning verifier holding this ring see them at their next message.
        /// </summary>
        public void ReplaceWith(KeyRing other)
        {
            ArgumentNullException.ThrowIfNull(other);
            _keys = new List<DeviceKey>(other._keys);
        }

        /// <summary>The current (highest id) key of a device, or null.</summary>
        public DeviceKey? Current(uint deviceId)
        {
            DeviceKey? best = null;
            foreach (var k in _keys)
            {
                if (k.DeviceId == deviceId && (best is null || k.KeyId > best.KeyId))
                {
                    best = k;
                }
            }

            return best;
        }

        /// <summary>Writes the ring as a key file (the format <see cref="Load"/> reads), readable by its owner alone.</summary>
        public void Save(string path)
        {
            var devices = new List<Dictionary<string, object>>();
            foreach (var k in _keys)
            {
                devices.Add(new Dictionary<string, object> { ["device_id"] = k.DeviceId, ["key_id"] = k.KeyId, ["key_hex"] = Convert.ToHexString(k.Key) });
            }

            using (var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                JsonSerializer.Serialize(f, new Dictionary<string, object> { ["devices"] = devices });
            }
        }

        /// <summary>Shortest key accepted, in bytes.</summary>
        public const int MinKeyBytes = 16;

        /// <summary>
        /// Loads a key file. Anything wrong is a <see cref="ConfigurationException"/> whose one-line message names the
        /// file, the entry and the field: a missing or unreadable file, permissions wider than owner read/write (Unix),
        /// malformed JSON, wrong types, a device id of 0, a key shorter than <see cref="MinKeyBytes"/> bytes, an all-zero
        /// key, the same (device, key id) twice, one key given to two devices.
        /// </summary>
        public static KeyRing Load(string path)
        {
            byte[] bytes;
            try
            {
                if (!OperatingSystem.IsWindows() && File.Exists(path))
                {
                    var mode = File.GetUnixFileMode(path);
                    var wider = mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite);
                    if (wider != 0)
                    {
                        throw new ConfigurationException(
                            $"key file {path}: permissions {Octal(mode)} are wider than owner read/write; the keys must be readable by the receiver alone: chmod 600 {path}");
                    }
                }

                bytes = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                throw new ConfigurationException($"key file {path}: not found (./gateway provision --key-file {path} writes it)");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"key file {path}: cannot read it: {ex.Message}", ex);
            }

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(bytes);
            }
            catch (JsonException ex)
            {
                throw new ConfigurationException($"key file {path}: not valid JSON (line {(ex.LineNumber ?? 0) + 1}): {ex.Message.Split('.')[0]}", ex);
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
                {
                    throw new ConfigurationException($"key file {path}: expected an object with a \"devices\" array: {{\"devices\":[{{\"device_id\":7,\"key_id\":1,\"key_hex\":\"...\"}}]}}");
                }

                var ring = new KeyRing();
                var owners = new Dictionary<string, uint>(StringComparer.Ordinal);
                var seen = new HashSet<(uint, byte)>();
                var i = 0;
                foreach (var e in devices.EnumerateArray())
                {
                    var at = $"key file {path}: devices[{i}]";
                    if (e.ValueKind != JsonValueKind.Object)
                    {
                        throw new ConfigurationException($"{at} is {Kind(e)}, expected an object with device_id, key_id and key_hex");
                    }

                    if (!e.TryGetProperty("device_id", out var d) || d.ValueKind != JsonValueKind.Number || !d.TryGetUInt32(out var deviceId))
                    {
                        throw new ConfigurationException($"{at}.device_id is {Kind(e, "device_id", numeric: true)}, expected a number 1..4294967295");
                    }

                    if (deviceId == 0)
                    {
                        throw new ConfigurationException($"{at}.device_id is 0, which is no device (device ids are 1..4294967295)");
                    }

                    if (!e.TryGetProperty("key_id", out var k) || k.ValueKind != JsonValueKind.Number || !k.TryGetByte(out var keyId))
                    {
                        throw new ConfigurationException($"{at}.key_id is {Kind(e, "key_id", numeric: true)}, expected a number 0..255");
                    }

                    if (!e.TryGetProperty("key_hex", out var h) || h.ValueKind != JsonValueKind.String)
                    {
                        throw new ConfigurationException($"{at}.key_hex is {Kind(e, "key_hex", numeric: false)}, expected a string of hex digits");
                    }

                    byte[] key;
                    try
                    {
                        key = Convert.FromHexString(h.GetString()!);
                    }
                    catch (FormatException)
                    {
                        throw new ConfigurationException($"{at}.key_hex is not an even number of hex digits");
                    }

                    if (key.Length < MinKeyBytes)
                    {
                        throw new ConfigurationException($"{at} (device {deviceId}): the key has {key.Length} bytes, at least {MinKeyBytes} are needed (./gateway provision makes 32)");
                    }

                    if (Array.TrueForAll(key, b => b == 0))
                    {
                        throw new ConfigurationException($"{at} (device {deviceId}): the key is all zeros");
                    }

                    if (!seen.Add((deviceId, keyId)))
                    {
                        throw new ConfigurationException($"{at}: device {deviceId} key id {keyId} is in the file twice; keep one entry per (device, key id)");
                    }

                    var hex = Convert.ToHexString(key);
                    if (owners.TryGetValue(hex, out var owner) && owner != deviceId)
                    {
                        throw new ConfigurationException($"{at}: device {deviceId} has the same key as device {owner}; every device needs its own key");
                    }

                    owners[hex] = deviceId;
                    ring.Add(deviceId, keyId, key);
                    i++;
                }

                return ring;
            }
        }

        private static string Kind(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "missing",
        };

        private static string Kind(JsonElement entry, string field, bool numeric)
        {
            if (!entry.TryGetProperty(field, out var v))
            {
                return "missing";
            }

            return numeric && v.ValueKind == JsonValueKind.Number ? "the number " + v.GetRawText() + " (out of range)" : Kind(v);
        }

        private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);
    }
}
