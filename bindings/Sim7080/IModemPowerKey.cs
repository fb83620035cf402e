namespace Gateway.Bindings.Sim7080
{
    /// <summary>
    /// The modem's PWRKEY input (active low on the SIM7080G; the board drives it through a transistor, so "pressed"
    /// means the pin that drives the transistor is active). The device implementation toggles a GPIO and sleeps; the
    /// virtual one advances the virtual clock and tells the emulator.
    /// </summary>
    public interface IModemPowerKey
    {
        /// <summary>Holds PWRKEY pressed for <paramref name="holdMs"/> milliseconds, then releases it (blocks meanwhile).</summary>
        void Press(int holdMs);
    }
}
