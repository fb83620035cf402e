namespace Gateway.Bindings.Rak3172
{
    /// <summary>Why a line was rejected by <see cref="AtResponseParser"/>; each reason has a counter.</summary>
    public enum AtMalformedReason : byte
    {
        /// <summary>Not malformed.</summary>
        None = 0,

        /// <summary>Longer than the line buffer (discarded whole by the serial line).</summary>
        TooLong = 1,

        /// <summary>Holds a control or non-ASCII byte (line noise, wrong baud rate).</summary>
        NonPrintable = 2,

        /// <summary>"+EVT:" with nothing after it.</summary>
        EmptyEvent = 3,

        /// <summary>A downlink or link-check event with fields missing.</summary>
        MissingField = 4,

        /// <summary>A downlink or link-check event with fields left over.</summary>
        ExtraField = 5,

        /// <summary>A number that does not parse or is out of its range (RSSI, SNR, port, margin, count).</summary>
        BadNumber = 6,

        /// <summary>Payload hex with an odd number of digits.</summary>
        OddHex = 7,

        /// <summary>Payload hex with a character outside 0-9, A-F, a-f.</summary>
        BadHexDigit = 8,

        /// <summary>Payload longer than a LoRaWAN frame can carry.</summary>
        PayloadTooLong = 9,

        /// <summary>A downlink whose cast is neither UNICAST nor MULTICAST, or whose window is unknown.</summary>
        BadDownlinkKind = 10,

        /// <summary>"AT+" reply without "=value" or with an empty or unprintable name.</summary>
        BadValue = 11,

        /// <summary>A "+EVT:SEND_CONFIRMED_FAILED(" with a broken code.</summary>
        BadStatusCode = 12,
    }
}
