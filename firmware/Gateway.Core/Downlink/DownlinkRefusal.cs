namespace Gateway.Core.Downlink
{
    /// <summary>Why a downlink was refused. Each reason is counted by the decoder.</summary>
    public enum DownlinkRefusal : byte
    {
        /// <summary>Accepted.</summary>
        None = 0,

        /// <summary>Empty, or shorter than a header and a tag.</summary>
        TooShort = 1,

        /// <summary>A version this firmware does not know.</summary>
        WrongVersion = 2,

        /// <summary>A kind this firmware does not know.</summary>
        UnknownKind = 3,

        /// <summary>Meant for another gateway.</summary>
        WrongDevice = 4,

        /// <summary>A key id this gateway does not hold.</summary>
        UnknownKey = 5,

        /// <summary>A varint overran its field or the message.</summary>
        MalformedVarint = 6,

        /// <summary>A body field outside its documented range.</summary>
        BodyOutOfRange = 7,

        /// <summary>Bytes between the body and the tag.</summary>
        TrailingBytes = 8,

        /// <summary>The tag does not match: forged or altered.</summary>
        BadTag = 9,

        /// <summary>The counter is not above the last accepted one: a replay.</summary>
        Replay = 10,
    }
}
