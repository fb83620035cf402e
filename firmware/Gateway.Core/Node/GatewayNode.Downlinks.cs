using Gateway.Core.Downlink;
using Gateway.Core.Time;

namespace Gateway.Core.Node
{
    /// <content>Downlinks: polling the transports and applying what the cloud sent.</content>
    public sealed partial class GatewayNode
    {
        private void PollDownlinks()
        {
            for (int t = 0; t < _transportCount; t++)
            {
                int channel;
                int n;
                while ((n = _transports[t].PollDownlink(_downlink, 0, _downlink.Length, out channel)) >= 0)
                {
                    if (_downlinks.TryDecode(_downlink, 0, n, _command) != DownlinkRefusal.None)
                    {
                        continue;
                    }

                    _stateDirty = true;
                    Apply(_command);
                }
            }
        }

        private void Apply(DownlinkCommand c)
        {
            switch (c.Kind)
            {
                case DownlinkKind.Ack:
                    for (int i = 0; i < c.AckRangeCount; i++)
                    {
                        _log.Acknowledge(c.AckFirst[i], c.AckFirst[i] + c.AckCount[i] - 1);
                        AcknowledgementsApplied++;
                        _payloads.OnAcknowledged(c.AckFirst[i], c.AckFirst[i] + c.AckCount[i] - 1);
                    }

                    // The cloud acknowledges only what it stored, so numbers that hold no record (skipped by an
                    // unclean reboot, dropped under a gap record) are never acknowledged and would split the log's
                    // acknowledgement ranges for ever. Everything below the oldest unacknowledged record is acknowledged
                    // or absent: say so, and the ranges collapse.
                    uint oldest;
                    if (_log.TryGetOldestUnacknowledged(out oldest) && oldest > 0)
                    {
                        _log.Acknowledge(0, oldest - 1);
                    }

                    break;
                case DownlinkKind.Time:
                    if (_clockSetter != null)
                    {
                        _clockSetter.SetWallTime(c.TimeMs, ClockQuality.Network);
                    }

                    break;
                case DownlinkKind.Config:
                    ConfigProposed = true;
                    break;
                case DownlinkKind.History:
                    // Everything still in the log that is not acknowledged is resent; history the cloud already
                    // acknowledged was reclaimed, so the request makes the backlog go out now.
                    _payloads.ForgetInFlight();
                    _lastBacklogSendWallMs = 0;
                    _lastSendWallMs = 0;
                    break;
                case DownlinkKind.Cadence:
                    _pipeline.Scheduler.DueNow(_clock.UptimeMs);
                    break;
                case DownlinkKind.Reboot:
                    RebootRequested = true;
                    break;
            }
        }
    }
}
