using System;

namespace Gateway.Virtual.Flash;

/// <summary>Thrown by <see cref="VirtualFlash"/> when the simulated power fails: the code running is dead until power-on.</summary>
public sealed class PowerCutException : Exception
{
    public PowerCutException(string message) : base(message)
    {
    }
}
