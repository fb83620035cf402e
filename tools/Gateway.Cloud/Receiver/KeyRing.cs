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
        private readonly List<DeviceKey> _keys = new();

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

            _keys.Add(new DeviceKey(deviceId, keyId, (byte[])key.Clone()));
            return this;
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

        /// <summary>Loads a key file; a malformed file is an error that names the entry and the field.</summary>
        public static KeyRing Load(string path)
        {
            var ring = new KeyRing();
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!doc.RootElement.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}: expected an object with a \"devices\" array");
            }

            var i = 0;
            foreach (var e in devices.EnumerateArray())
            {
                if (!e.TryGetProperty("device_id", out var d) || !d.TryGetUInt32(out var deviceId))
                {
                    throw new InvalidDataException($"{path}: devices[{i}].device_id missing or not a 32-bit unsigned number");
                }

                if (!e.TryGetProperty("key_id", out var k) || !k.TryGetByte(out var keyId))
                {
                    throw new InvalidDataException($"{path}: devices[{i}].key_id missing or not 0..255");
                }

                byte[] key;
                try
                {
                    key = Convert.FromHexString(e.GetProperty("key_hex").GetString() ?? string.Empty);
                }
                catch (Exception ex) when (ex is FormatException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new InvalidDataException($"{path}: devices[{i}].key_hex missing or not hex", ex);
                }

                ring.Add(deviceId, keyId, key);
                i++;
            }

            return ring;
        }
    }
}
