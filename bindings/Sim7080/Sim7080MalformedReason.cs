namespace Gateway.Bindings.Sim7080
{
    /// <summary>Why <see cref="Sim7080ResponseParser"/> rejected a line; each reason has a counter.</summary>
    public enum Sim7080MalformedReason : byte
    {
        /// <summary>Not malformed.</summary>
        None = 0,

        /// <summary>Longer than the line buffer (discarded whole by the serial line).</summary>
        TooLong = 1,

        /// <summary>Holds a control or non-ASCII byte (line noise, wrong baud rate, a cut line).</summary>
        NonPrintable = 2,

        /// <summary>A known "+X:" line with fields missing.</summary>
        MissingField = 3,

        /// <summary>A number that does not parse or is out of range.</summary>
        BadNumber = 4,

        /// <summary>A quoted field without its closing quote.</summary>
        BadQuote = 5,

        /// <summary>A "+CCLK" time that is not "yy/MM/dd,hh:mm:ss±zz" or not a real date.</summary>
        BadTime = 6,

        /// <summary>"+APP PDP" with a state other than ACTIVE or DEACTIVE.</summary>
        BadState = 7,
    }
}
