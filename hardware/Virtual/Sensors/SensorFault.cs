namespace Gateway.Virtual.Sensors;

/// <summary>A fault a virtual part can be put into (by a scenario or a test).</summary>
public enum SensorFault
{
    /// <summary>Works normally.</summary>
    None = 0,

    /// <summary>No answer at all (UART silent, loop open at 0 mA, I2C NAK, probe missing).</summary>
    Disconnected,

    /// <summary>Repeats the same raw value forever.</summary>
    Stuck,

    /// <summary>UART: every frame garbled (bad checksums, line noise).</summary>
    Garbage,

    /// <summary>Current loop shorted or transmitter in high alarm (above 21 mA).</summary>
    Short,
}
