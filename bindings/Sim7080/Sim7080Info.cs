namespace Gateway.Bindings.Sim7080
{
    /// <summary>Which information line or URC a <see cref="Sim7080LineKind.Info"/> line is.</summary>
    public enum Sim7080Info : byte
    {
        /// <summary>Not an information line.</summary>
        None = 0,

        /// <summary>"+CPIN: READY" or another SIM state; <see cref="Sim7080Response.SimReady"/>.</summary>
        Cpin = 1,

        /// <summary>"+CSQ: rssi,ber"; <see cref="Sim7080Response.Number"/> = rssi (0..31, 99 unknown), <see cref="Sim7080Response.Number2"/> = ber.</summary>
        Csq = 2,

        /// <summary>"+CPSI: mode,..." serving cell; <see cref="Sim7080Response.SystemMode"/> and the RSRP/RSRQ/SINR fields.</summary>
        Cpsi = 3,

        /// <summary>"+CEREG: [n,]stat[,...]" EPS registration; <see cref="Sim7080Response.Number"/> = stat.</summary>
        Cereg = 4,

        /// <summary>"+CGREG: [n,]stat[,...]" packet registration; <see cref="Sim7080Response.Number"/> = stat.</summary>
        Cgreg = 5,

        /// <summary>"+CNACT: pdp,status,\"ip\"" (AT+CNACT? reply); <see cref="Sim7080Response.Number"/> = pdp, <see cref="Sim7080Response.Number2"/> = status.</summary>
        Cnact = 6,

        /// <summary>"+APP PDP: pdp,ACTIVE|DEACTIVE" URC; <see cref="Sim7080Response.Number"/> = pdp, <see cref="Sim7080Response.Number2"/> = 1 active, 0 not.</summary>
        AppPdp = 7,

        /// <summary>"+SMSTATE: n" (reply or URC); <see cref="Sim7080Response.Number"/> = 0 disconnected, 1 connected.</summary>
        SmState = 8,

        /// <summary>"+SMSUB: \"topic\",\"message\"" received MQTT message; topic and message spans in the line.</summary>
        SmSub = 9,

        /// <summary>"+CCLK: \"yy/MM/dd,hh:mm:ss±zz\""; <see cref="Sim7080Response.TimeMs"/> (Unix ms UTC).</summary>
        Cclk = 10,

        /// <summary>"NORMAL POWER DOWN": the modem switched itself off (AT+CPOWD=1 or PWRKEY).</summary>
        PowerDown = 11,

        /// <summary>"RDY": the modem finished booting and accepts AT commands.</summary>
        Ready = 12,

        /// <summary>"+CFUN: n" URC after boot or AT+CFUN; <see cref="Sim7080Response.Number"/> = n.</summary>
        Cfun = 13,
    }
}
