using System;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// A sampling workload for the storage benchmark: N channels every minute into a record log on virtual flash
    /// (4 KB blocks), acknowledged hourly by a working uplink, optionally with a reboot (deep sleep) every sample.
    /// </summary>
    internal sealed class StorageWorkload
    {
        public const long Minute = 60_000;
        public const long T0 = 1_767_225_600_000L;

        public StorageWorkload(int seed, RecordLogSettings settings)
        {
            Settings = settings;
            Flash = new VirtualFlash(seed, 4096);
            Log = new RecordLog(Flash, settings);
            Log.Open();
            Rng = new Random(seed);
        }

        public RecordLogSettings Settings { get; }

        public VirtualFlash Flash { get; }

        public RecordLog Log { get; private set; }

        public Random Rng { get; }

        public long Readings { get; private set; }

        public long Commits { get; private set; }

        public int Boots { get; private set; } = 1;

        /// <summary>Flash bytes read by the recoveries of deep-sleep wakes (the log's <c>Open</c>).</summary>
        public long RecoveryBytesRead { get; private set; }

        /// <summary>
        /// Runs <paramref name="minutes"/> sampling instants of <paramref name="channels"/> readings each, one every
        /// <paramref name="stepMinutes"/> minutes; the cloud acknowledges every hour.
        /// </summary>
        public void Run(long minutes, int channels, bool deepSleep, int stepMinutes = 1)
        {
            var value = new int[channels];
            var health = new StorageHealth();
            for (long m = 0; m < minutes; m++)
            {
                long t = T0 + m * stepMinutes * Minute;
                for (int c = 0; c < channels; c++)
                {
                    value[c] += Rng.Next(-6, 7);
                    var r = new Reading((ChannelId)(1 + c), t, 1000 * c + value[c], ReadingStatus.Ok);
                    Log.Append(ref r);
                    Readings++;
                }

                if (((m + 1) * stepMinutes) % 60 == 0)
                {
                    Log.Acknowledge(Log.OldestSequence, Log.NextSequence - 1);
                }

                if (deepSleep)
                {
                    Log.Suspend();
                    Log.FillHealth(health, 1, 1);
                    Commits += health.Commits;
                    Log = new RecordLog(Flash, Settings);
                    long read = Flash.BytesRead;
                    Log.Open();
                    RecoveryBytesRead += Flash.BytesRead - read;
                    Boots++;
                }
            }

            Log.FillHealth(health, 1, 1);
            Commits += health.Commits;
        }
    }
}
