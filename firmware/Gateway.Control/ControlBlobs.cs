using System;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Core.Storage;

namespace Gateway.Control
{
    /// <summary>
    /// The control layer's named blobs (provisioning, configuration, trial counters) on the record
    /// log's flash store, as durable-state keys 48–63 (the range the storage layer gives to control). Each blob is
    /// written by atomic two-slot replace with a CRC: after a power cut a read returns the old or the new content.
    /// </summary>
    public sealed class ControlBlobs : IDurableBlobs
    {
        /// <summary>First durable-state key of the control range.</summary>
        public const int FirstKey = 48;

        /// <summary>Largest blob, bytes (the configuration state holds the active and the last good document).</summary>
        public const int MaxBytes = 16384;

        private static readonly string[] Names = new string[]
        {
            DeviceProvisioning.BlobName,
            ConfigManager.BlobName,
            ConfigManager.CountersBlobName,
            SelfTestBlob,
        };

        /// <summary>The blob the storage self-test writes and reads back (commissioning and the console's selftest).</summary>
        public const string SelfTestBlob = "selftest.storage";

        /// <summary>Key of the reset record (written by the watchdog thread through its own store, see <see cref="ResetRecord"/>).</summary>
        public const int ResetRecordKey = FirstKey + 15;

        private readonly DurableState _state;
        private readonly object _sync = new object();

        /// <summary>Creates the blobs over the flash store the record log uses.</summary>
        public ControlBlobs(IFlashStore store)
        {
            _state = new DurableState(store, MaxBytes);
        }

        /// <summary>The durable-state key of a blob name; -1 for a name this firmware does not know.</summary>
        public static int KeyOf(string name)
        {
            for (int i = 0; i < Names.Length; i++)
            {
                if (Names[i] == name)
                {
                    return FirstKey + i;
                }
            }

            return -1;
        }

        /// <inheritdoc />
        public bool TryRead(string name, out byte[] data)
        {
            data = null;
            int key = KeyOf(name);
            if (key < 0)
            {
                return false;
            }

            lock (_sync)
            {
                byte[] buffer = new byte[MaxBytes];
                int length;
                if (!_state.TryLoad(key, buffer, 0, out length))
                {
                    return false;
                }

                data = new byte[length];
                Array.Copy(buffer, 0, data, 0, length);
                return true;
            }
        }

        /// <inheritdoc />
        public void WriteAtomic(string name, byte[] data)
        {
            int key = KeyOf(name);
            if (key < 0)
            {
                throw new ArgumentException("unknown blob " + name);
            }

            lock (_sync)
            {
                _state.Save(key, data, 0, data.Length);
            }
        }
    }
}
