namespace Gateway.Core.Sensing.Events
{
    /// <summary>The per-channel rules of the event detector.</summary>
    public sealed partial class EventDetector
    {
        private void RiverRules(ref Reading reading, long uptimeMs)
        {
            int level = reading.Value;

            int rise = _rise.Update(uptimeMs, level);
            if (rise > 0)
            {
                _rapidUntilUptime = uptimeMs + _settings.RapidHoldMs;
                Emit(EventKind.RateOfRise, EventPriority.Alarm, ref reading, AlarmLevel.None, _rise.Threshold, _rise.LastChange);
            }
            else if (rise < 0)
            {
                Emit(EventKind.RateCleared, EventPriority.Routine, ref reading, AlarmLevel.None, _rise.Threshold, _rise.LastChange);
            }

            if (_rise.Active)
            {
                _rapidUntilUptime = uptimeMs + _settings.RapidHoldMs;
            }

            // Raise every configured level reached, lowest first; no hysteresis on the way up.
            for (int l = (int)AlarmLevel + 1; l <= (int)AlarmLevel.Danger; l++)
            {
                int threshold = _settings.LevelFor((AlarmLevel)l);
                if (threshold == SensingSettings.Disabled)
                {
                    continue;
                }

                if (level < threshold)
                {
                    break;
                }

                AlarmLevel = (AlarmLevel)l;
                Emit(EventKind.AlarmRaised, EventPriority.Alarm, ref reading, AlarmLevel, threshold, _rise.LastChange);
            }

            // Clear from the top, each only below its level minus the hysteresis.
            while (AlarmLevel != AlarmLevel.None)
            {
                int threshold = _settings.LevelFor(AlarmLevel);
                if (threshold != SensingSettings.Disabled && level >= threshold - _settings.AlarmHysteresisMm)
                {
                    break;
                }

                AlarmLevel cleared = AlarmLevel;
                AlarmLevel = (AlarmLevel)((int)AlarmLevel - 1);
                if (threshold != SensingSettings.Disabled)
                {
                    Emit(EventKind.AlarmCleared, EventPriority.Alarm, ref reading, cleared, threshold, _rise.LastChange);
                }
            }

            int start = _settings.ObservationStartLevelMm;
            if (start != SensingSettings.Disabled)
            {
                if (!_observing && level >= start)
                {
                    _observing = true;
                }
                else if (_observing && level < start - _settings.ObservationStartHysteresisMm)
                {
                    _observing = false;
                }
            }

            // Sample faster when the next threshold above is near.
            int next = SensingSettings.Disabled;
            if (!_observing && start != SensingSettings.Disabled)
            {
                next = start;
            }

            for (int l = (int)AlarmLevel + 1; l <= (int)AlarmLevel.Danger; l++)
            {
                int threshold = _settings.LevelFor((AlarmLevel)l);
                if (threshold != SensingSettings.Disabled)
                {
                    if (threshold < next)
                    {
                        next = threshold;
                    }

                    break;
                }
            }

            _approaching = next != SensingSettings.Disabled && level >= next - _settings.ApproachMarginMm;
        }

        private void SnowRules(ref Reading reading, long uptimeMs)
        {
            int change = _snowfall.Update(uptimeMs, reading.Value);
            if (change > 0)
            {
                Emit(EventKind.SnowfallRate, EventPriority.Alarm, ref reading, AlarmLevel.None, _snowfall.Threshold, _snowfall.LastChange);
            }
            else if (change < 0)
            {
                Emit(EventKind.RateCleared, EventPriority.Routine, ref reading, AlarmLevel.None, _snowfall.Threshold, _snowfall.LastChange);
            }
        }

        private void SlopeRules(ref Reading reading, long uptimeMs, int axis)
        {
            int tilt = reading.Value;
            int magnitude = tilt < 0 ? -tilt : tilt;
            int limit = _settings.TiltChangeAlarmMillidegrees;
            if (limit != SensingSettings.Disabled)
            {
                if (!_tiltChangeActive[axis] && magnitude >= limit)
                {
                    _tiltChangeActive[axis] = true;
                    Emit(EventKind.TiltChange, EventPriority.Alarm, ref reading, AlarmLevel.None, limit, 0);
                }
                else if (_tiltChangeActive[axis] && magnitude < limit - _settings.TiltChangeHysteresisMillidegrees)
                {
                    _tiltChangeActive[axis] = false;
                    Emit(EventKind.RateCleared, EventPriority.Routine, ref reading, AlarmLevel.None, limit, 0);
                }
            }

            RateRule(_tiltHourly[axis], EventKind.TiltRateHourly, ref reading, uptimeMs);
            RateRule(_tiltDaily[axis], EventKind.TiltRateDaily, ref reading, uptimeMs);
        }

        private void RateRule(RateAlarm alarm, EventKind kind, ref Reading reading, long uptimeMs)
        {
            int change = alarm.Update(uptimeMs, reading.Value);
            if (change > 0)
            {
                _rapidUntilUptime = uptimeMs + _settings.RapidHoldMs;
                Emit(kind, EventPriority.Alarm, ref reading, AlarmLevel.None, alarm.Threshold, alarm.LastChange);
            }
            else if (change < 0)
            {
                Emit(EventKind.RateCleared, EventPriority.Routine, ref reading, AlarmLevel.None, alarm.Threshold, alarm.LastChange);
            }

            if (alarm.Active)
            {
                _rapidUntilUptime = uptimeMs + _settings.RapidHoldMs;
            }
        }
    }
}
