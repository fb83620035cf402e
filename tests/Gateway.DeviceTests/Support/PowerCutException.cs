using System;

namespace Gateway.DeviceTests.Support
{
    /// <summary>Thrown by <see cref="MemoryFlashStore"/> when an armed power cut falls, and on any access until power returns.</summary>
    public sealed class PowerCutException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public PowerCutException(string message)
            : base(message)
        {
        }
    }
}
