using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Pressure;

namespace Gateway.Control.Composition
{
    /// <summary>
    /// The buses a board (the ESP32's composition, or the simulator's virtual rig) wires to the sensor bindings. Each
    /// Open method may throw when the part does not answer or the bus cannot open: <see cref="SensorComposer"/>
    /// records the fault for that sensor and composes the others.
    /// </summary>
    public interface ISensorParts
    {
        /// <summary>The air temperature probe for the ultrasonic ranger's speed of sound (read first: it may share the ranger's UART), or null.</summary>
        ITemperatureProbe OpenAirTemperature();

        /// <summary>The UART of a serial ultrasonic ranger (A02YYUW-style, 9600 8N1).</summary>
        IByteStream OpenUltrasonicUart();

        /// <summary>The trigger/echo timer of a JSN-SR04T / HC-SR04 on the ultrasonic connector.</summary>
        IEchoTimer OpenUltrasonicEcho();

        /// <summary>The ADC channel of the pressure transducer, set to <paramref name="range"/>.</summary>
        IRawAdc OpenPressureAdc(Ads1115Range range);

        /// <summary>The accelerometer under the inclinometer.</summary>
        IAccelerometerRaw OpenAccelerometer();

        /// <summary>The battery divider's ADC input, or null when the board has none; <paramref name="settings"/> gets its divider.</summary>
        IAnalogInput OpenBatteryInput(SupplyVoltageSettings settings);
    }
}
