namespace Gateway.Control.Config
{
    /// <summary>Why a configuration field was rejected.</summary>
    public enum ConfigErrorKind : byte
    {
        /// <summary>The document is not valid JSON or exceeds the reader's limits (depth, size, string length).</summary>
        Syntax = 1,

        /// <summary>The field has the wrong JSON type (e.g. a string where a number is expected, a fraction where an integer is).</summary>
        WrongType = 2,

        /// <summary>A number outside the field's range.</summary>
        OutOfRange = 3,

        /// <summary>A member this schema does not define (a typo would otherwise be silently ignored).</summary>
        UnknownField = 4,

        /// <summary>A required field is missing.</summary>
        MissingField = 5,

        /// <summary>River levels are not strictly increasing.</summary>
        NotIncreasing = 6,

        /// <summary>A cadence longer than the MLIT crisis-management gauge rules allow (600 s).</summary>
        AboveMlitMaximum = 7,

        /// <summary>A value of the right type that is not allowed (unknown enumeration name, bad format, even median count, repeat).</summary>
        InvalidValue = 8,

        /// <summary>Two fields contradict each other (min not below max, faster cadence slower than base).</summary>
        Inconsistent = 9,
    }

    /// <summary>One rejected field: its JSON path (e.g. "river.caution_mm", "transport.failover[0]"), the kind and a reason.</summary>
    public sealed class ConfigError
    {
        /// <summary>Creates an error.</summary>
        public ConfigError(string path, ConfigErrorKind kind, string reason)
        {
            Path = path;
            Kind = kind;
            Reason = reason;
        }

        /// <summary>JSON path of the field ("" for the document itself).</summary>
        public string Path { get; private set; }

        /// <summary>Category of the problem.</summary>
        public ConfigErrorKind Kind { get; private set; }

        /// <summary>Human-readable reason, naming the limit or the other field involved.</summary>
        public string Reason { get; private set; }

        /// <summary>"path: reason" (or just the reason for the document itself).</summary>
        public override string ToString()
        {
            return Path.Length == 0 ? Reason : Path + ": " + Reason;
        }
    }
}
