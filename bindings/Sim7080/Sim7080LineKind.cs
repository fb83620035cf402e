namespace Gateway.Bindings.Sim7080
{
    /// <summary>What one line from a SIM7080G is.</summary>
    public enum Sim7080LineKind : byte
    {
        /// <summary>An empty line (the modem frames replies with CR LF); ignored.</summary>
        Empty = 0,

        /// <summary>"OK": the command completed.</summary>
        Ok = 1,

        /// <summary>"ERROR" or "+CME ERROR: n|text"; see <see cref="Sim7080Response.CmeError"/>.</summary>
        Error = 2,

        /// <summary>The data prompt "&gt;" seen as a line (a prompt followed by a line end).</summary>
        Prompt = 3,

        /// <summary>A known information line or URC ("+CSQ: ...", "+SMSUB: ...", "RDY"); see <see cref="Sim7080Response.Info"/>.</summary>
        Info = 4,

        /// <summary>Any other printable line (echo, "SMS Ready", unknown "+X:" lines); read in context or ignored.</summary>
        Text = 5,

        /// <summary>A line that claims a known form but breaks it; see <see cref="Sim7080Response.Malformed"/>.</summary>
        Malformed = 6,
    }
}
