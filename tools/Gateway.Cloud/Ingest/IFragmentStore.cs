using System.Collections.Generic;

namespace Gateway.Cloud.Ingest
{
    /// <summary>
    /// The fragments of one batch in progress: a device (its DevEUI), the frame counter its first fragment was sent
    /// with, and how many fragments it has (Codec/README.md §5.1). Fragments of different keys never mix.
    /// </summary>
    /// <param name="DevEui">The device's DevEUI as the network server names it.</param>
    /// <param name="FirstFCnt">The LoRaWAN frame counter of fragment 0 (fragment i went with FirstFCnt + i).</param>
    /// <param name="Count">Fragments of the batch, 1..16.</param>
    public readonly record struct FragmentKey(string DevEui, uint FirstFCnt, int Count);

    /// <summary>
    /// Where the receiver keeps DR2 fragments until their batch is whole. The receiver's database keeps them
    /// (<see cref="Storage.SqlReceiverStore"/>): a fragment is acknowledged to the broker only once it is durable, so a
    /// receiver killed between two fragments loses nothing, and several receivers sharing the load (each fragment may
    /// reach another one) complete the batch together. <see cref="MemoryFragmentStore"/> serves a single receiver that
    /// never restarts (the simulator's in-process receiver, tests).
    /// </summary>
    public interface IFragmentStore
    {
        /// <summary>
        /// Keeps fragment <paramref name="index"/> (its body: the batch bytes it carries) of the batch
        /// <paramref name="key"/>, received at <paramref name="atMs"/>, and returns the bodies of every fragment of that
        /// batch in index order when this one made it whole (else null). A fragment kept already stays as it was.
        /// Atomic with respect to other receivers: two receivers taking a batch's last two fragments at once cannot
        /// both miss the other's. Fragments older than <paramref name="keepMs"/> are forgotten.
        /// </summary>
        IReadOnlyList<byte[]>? AddFragment(FragmentKey key, int index, byte[] body, long atMs, long keepMs);

        /// <summary>Forgets the fragments of a batch that was made whole and stored.</summary>
        void RemoveFragments(FragmentKey key);
    }

    /// <summary>Fragments in memory: for one receiver that never restarts (the simulator's in-process receiver, tests).</summary>
    public sealed class MemoryFragmentStore : IFragmentStore
    {
        /// <summary>Batches in progress held at most (a flood of invented DevEUIs must not grow memory without bound).</summary>
        public const int MaxBatches = 100_000;

        private readonly Dictionary<FragmentKey, (byte[]?[] Bodies, long AtMs)> _batches = new();

        /// <inheritdoc />
        public IReadOnlyList<byte[]>? AddFragment(FragmentKey key, int index, byte[] body, long atMs, long keepMs)
        {
            lock (_batches)
            {
                if (!_batches.TryGetValue(key, out var held))
                {
                    if (_batches.Count >= MaxBatches)
                    {
                        Forget(atMs - keepMs);
                        if (_batches.Count >= MaxBatches)
                        {
                            _batches.Clear();
                        }
                    }

                    held = (new byte[]?[key.Count], atMs);
                    _batches[key] = held;
                }

                held.Bodies[index] ??= body;
                var whole = new byte[key.Count][];
                for (var i = 0; i < whole.Length; i++)
                {
                    if (held.Bodies[i] is not { } part)
                    {
                        return null;
                    }

                    whole[i] = part;
                }

                return whole;
            }
        }

        /// <inheritdoc />
        public void RemoveFragments(FragmentKey key)
        {
            lock (_batches)
            {
                _batches.Remove(key);
            }
        }

        private void Forget(long olderThanMs)
        {
            var old = new List<FragmentKey>();
            foreach (var kv in _batches)
            {
                if (kv.Value.AtMs < olderThanMs)
                {
                    old.Add(kv.Key);
                }
            }

            foreach (var k in old)
            {
                _batches.Remove(k);
            }
        }
    }
}
