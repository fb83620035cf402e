using System;
using Gateway.Control;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Core.Storage;

namespace Gateway.Simulation.VirtualGateway
{
    /// <summary>
    /// The control blobs on the virtual flash, mapped like the device's ControlBlobs (durable-state keys from 48,
    /// atomic two-slot replace), so provisioning and configuration survive a virtual reboot as on the ESP32.
    /// </summary>
    public sealed class FlashBlobs : IDurableBlobs
    {
        /// <summary>Blob the storage self-test writes and reads back.</summary>
        public const string SelfTestBlob = "selftest.storage";

        private const int FirstKey = 48;
        private const int MaxBytes = 16384;
        private static readonly string[] Names = { DeviceProvisioning.BlobName, ConfigManager.BlobName, ConfigManager.CountersBlobName, SelfTestBlob };
        private readonly DurableState _state;
        private readonly byte[] _buffer = new byte[MaxBytes];

        /// <summary>Creates the blobs over the flash store.</summary>
        public FlashBlobs(IFlashStore store)
        {
            _state = new DurableState(store, MaxBytes);
        }

        /// <inheritdoc />
        public bool TryRead(string name, out byte[] data)
        {
            data = Array.Empty<byte>();
            var key = Array.IndexOf(Names, name);
            if (key < 0 || !_state.TryLoad(FirstKey + key, _buffer, 0, out var length))
            {
                return false;
            }

            data = _buffer.AsSpan(0, length).ToArray();
            return true;
        }

        /// <inheritdoc />
        public void WriteAtomic(string name, byte[] data)
        {
            var key = Array.IndexOf(Names, name);
            if (key < 0)
            {
                throw new ArgumentException("unknown blob " + name, nameof(name));
            }

            _state.Save(FirstKey + key, data, 0, data.Length);
        }
    }
}
