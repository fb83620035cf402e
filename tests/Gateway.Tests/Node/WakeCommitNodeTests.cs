using System.Collections.Generic;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.Virtual.Flash;
using Gateway.Virtual.Security;
using Gateway.Virtual.Time;
using Xunit;

namespace Gateway.Tests.Node
{
    /// <summary>The node commits each wake's readings once, in one frame, and reports a reading only once it is durable.</summary>
    public class WakeCommitNodeTests : INodeObserver, IWallClockSetter
    {
        private readonly VirtualClock _clock = new(1_788_220_800_000L, ClockQuality.Network);
        private readonly List<(uint Sequence, Reading Reading, int Staged)> _stored = new();
        private RecordLog _log = null!;
        private int _events;

        private sealed class Source(ChannelId channel, int value) : ISensorSource
        {
            public ChannelId Channel => channel;

            public bool TrySample(ref Reading reading)
            {
                reading.Channel = channel;
                reading.Value = value;
                reading.Status = ReadingStatus.Ok;
                return true;
            }
        }

        private GatewayNode Node(VirtualFlash flash)
        {
            _log = new RecordLog(flash, new RecordLogSettings { EpochSeed = 2 });
            var sources = new ISensorSource[]
            {
                new Source(ChannelId.WaterLevelMillimeters, 1234),
                new Source(ChannelId.PressurePascals, 12345),
                new Source(ChannelId.TiltXMillidegrees, -250),
            };
            var node = new GatewayNode(new NodeSettings { DeviceId = 7 }, _clock, this, new HostHmacSha256(1, new byte[32]), _log, sources, null!,
                new SensingSettings(), new SeededRandom(5)) { Observer = this };
            node.Boot();
            return node;
        }

        [Fact]
        public void Every_wake_is_one_commit_holding_all_channels_at_one_instant_and_observed_only_when_durable()
        {
            var flash = new VirtualFlash(3, 4096);
            var node = Node(flash);
            var health = new StorageHealth();
            int recordedWakes = 0;
            for (int wake = 0; wake < 120; wake++)
            {
                _log.FillHealth(health, 1, 1);
                long commits = health.Commits;
                int before = _stored.Count;
                int events = _events;
                node.RunCycle();
                _log.FillHealth(health, 1, 1);
                int readings = _stored.Count - before;
                Assert.True(readings == 0 || readings == 3, $"wake {wake}: {readings} readings");
                recordedWakes += readings == 3 ? 1 : 0;

                // One commit for the wake's readings; an event or alarm commits at once (taking the staged with it).
                Assert.InRange(health.Commits - commits, readings > 0 ? 1 : 0, 1 + _events - events);
                for (int i = before; i < _stored.Count; i++)
                {
                    Assert.Equal(0, _stored[i].Staged);
                    Assert.Equal(_stored[before].Reading.TimeMs, _stored[i].Reading.TimeMs);
                }

                _clock.Advance(node.Pipeline.Scheduler.NextDueUptimeMs - _clock.UptimeMs);
            }

            Assert.True(recordedWakes >= 5, $"{recordedWakes} wakes recorded readings");

            // A power cut on the wake's commit: the wake is lost whole and nobody was told it was stored.
            int seen = _stored.Count;
            flash.ArmCut(1, torn: false);
            bool cut = false;
            for (int wake = 0; wake < 50 && !cut; wake++)
            {
                try
                {
                    node.RunCycle();
                    _clock.Advance(node.Pipeline.Scheduler.NextDueUptimeMs - _clock.UptimeMs);
                }
                catch (PowerCutException)
                {
                    cut = true;
                }
            }

            Assert.True(cut);
            Assert.Equal(seen, _stored.Count);
            flash.PowerOn();
            var reopened = new RecordLog(flash, new RecordLogSettings { EpochSeed = 2 });
            reopened.Open();
            foreach (var s in _stored)
            {
                Assert.True(reopened.TryRead(s.Sequence, out var r));
                Assert.Equal(s.Reading.Value, r.Value);
            }
        }

        void INodeObserver.OnReadingStored(uint sequence, ref Reading reading) => _stored.Add((sequence, reading, _log.StagedReadings));

        void INodeObserver.OnEventStored(uint sequence, ref SensingEvent sensingEvent) => _events++;

        void IWallClockSetter.SetWallTime(long wallTimeMs, ClockQuality quality) => _clock.SetWallTime(wallTimeMs, quality);
    }
}
