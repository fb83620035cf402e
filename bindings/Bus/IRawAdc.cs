namespace Gateway.Bindings.Bus
{
    /// <summary>
    /// One single-ended or differential input of an external ADC (an ADS1115 on the device), read as a raw signed
    /// conversion code at the input's configured full-scale range.
    /// </summary>
    public interface IRawAdc
    {
        /// <summary>Performs one conversion; false when the converter did not answer (bus error).</summary>
        bool TryReadRaw(out short code);
    }
}
