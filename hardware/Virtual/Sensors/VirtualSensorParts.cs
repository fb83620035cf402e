using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Pressure;
using Gateway.Control.Composition;

namespace Gateway.Virtual.Sensors;

/// <summary>
/// The virtual rig's parts for the device's own <see cref="SensorComposer"/>: what the ESP32 board wires to its
/// buses (Esp32SensorParts), here the rig's ranger UART, echo timer, ADS1115, accelerometer, thermometer and battery
/// divider (100 kΩ / 100 kΩ, as the boards').
/// </summary>
public sealed class VirtualSensorParts : ISensorParts
{
    private readonly VirtualSensorRig _rig;

    /// <summary>Parts of <paramref name="rig"/>.</summary>
    public VirtualSensorParts(VirtualSensorRig rig) => _rig = rig;

    /// <inheritdoc />
    public ITemperatureProbe OpenAirTemperature() => _rig.Thermometer;

    /// <inheritdoc />
    public IByteStream OpenUltrasonicUart() => _rig.Ranger;

    /// <inheritdoc />
    public IEchoTimer OpenUltrasonicEcho() => _rig.EchoTimer;

    /// <inheritdoc />
    public IRawAdc OpenPressureAdc(Ads1115Range range) => _rig.Adc;

    /// <inheritdoc />
    public IAccelerometerRaw OpenAccelerometer() => _rig.Accelerometer;

    /// <inheritdoc />
    public IAnalogInput OpenBatteryInput(SupplyVoltageSettings settings) => _rig.Battery;
}
