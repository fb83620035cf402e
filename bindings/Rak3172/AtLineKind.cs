namespace Gateway.Bindings.Rak3172
{
    /// <summary>What one line from a RUI3 module is.</summary>
    public enum AtLineKind : byte
    {
        /// <summary>An empty line (RUI3 puts them around replies); ignored.</summary>
        Empty = 0,

        /// <summary>"OK": the command was accepted.</summary>
        Ok = 1,

        /// <summary>An "AT_..._ERROR"-style status; see <see cref="AtResponse.Error"/>.</summary>
        Error = 2,

        /// <summary>An asynchronous "+EVT:..." event; see <see cref="AtResponse.Event"/>.</summary>
        Event = 3,

        /// <summary>A query reply "AT+NAME=value"; see <see cref="AtResponse.NameStart"/> and the value fields.</summary>
        Value = 4,

        /// <summary>Any other printable line (bare query value, boot banner, help text); the driver reads it in context.</summary>
        Text = 5,

        /// <summary>A line that claims a known form but breaks it; see <see cref="AtResponse.Malformed"/>.</summary>
        Malformed = 6,
    }
}
