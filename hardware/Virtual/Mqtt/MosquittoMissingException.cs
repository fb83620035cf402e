using System;

namespace Gateway.Virtual.Mqtt
{
    /// <summary>The Mosquitto broker or client library is not installed on this host.</summary>
    public sealed class MosquittoMissingException : Exception
    {
        /// <summary>The install command printed in every message.</summary>
        public const string InstallHint = "apt-get install mosquitto libmosquitto1 (or ./scripts/setup.sh)";

        /// <summary>Creates the exception naming what is missing.</summary>
        public MosquittoMissingException(string what, Exception? inner = null)
            : base($"{what} is not installed: {InstallHint}", inner)
        {
        }
    }
}
