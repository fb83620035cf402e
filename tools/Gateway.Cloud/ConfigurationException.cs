using System;

namespace Gateway.Cloud
{
    /// <summary>
    /// Bad configuration or input the operator must fix (a key file, a <c>--db</c> option, a time range): the message
    /// is one line that names the problem and what would be right. The commands print it as <c>error: MESSAGE</c>
    /// and exit with code 2, never with a stack trace (the commands catch it; <c>Gateway.Cli.Program.Main</c> catches
    /// what a command left, for every command).
    /// </summary>
    public sealed class ConfigurationException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public ConfigurationException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with the failure that revealed the problem.</summary>
        public ConfigurationException(string message, Exception inner)
            : base(message, inner)
        {
        }

        /// <summary>Creates the exception (serialisation-free parameterless form, for analyzers).</summary>
        public ConfigurationException()
            : base("bad configuration")
        {
        }
    }
}
