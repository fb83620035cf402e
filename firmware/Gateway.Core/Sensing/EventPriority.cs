namespace Gateway.Core.Sensing
{
    /// <summary>How urgently an event must go out: alarms first, then routine.</summary>
    public enum EventPriority : byte
    {
        /// <summary>Sent with the next regular batch.</summary>
        Routine = 0,

        /// <summary>Sent at once, ahead of everything else.</summary>
        Alarm = 1,
    }
}
