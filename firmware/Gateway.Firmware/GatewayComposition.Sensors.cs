using System;
using System.Collections;
using System.Device.Adc;
using System.Diagnostics;
using System.IO;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Rak3172;
using Gateway.Bindings.Sim7080;
using Gateway.Bindings.Ultrasonic;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Gateway.Control;
using Gateway.Core.Node;
using Gateway.Core.Security;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Storage;
using Gateway.Core.Uplink;
using Gateway.Hardware.Esp32.Board;
using Gateway.Hardware.Esp32.Security;
using Gateway.Hardware.Esp32.Sensors;
using Gateway.Hardware.Esp32.Storage;
using Gateway.Hardware.Esp32.Uplink;
using Iot.Device.Ads1115;
using nanoFramework.M2Mqtt;

namespace Gateway.Firmware
{
    /// <summary>The composition's sensors: built from the configuration and the board's pins, and the console's one-off level measurement on COM3.</summary>
    public sealed partial class GatewayComposition
    {
        /// <summary>Closes the ultrasonic sensor's port so COM3 can go to the technician console.</summary>
        public void ReleaseCom3()
        {
            if (_rangerPort != null)
            {
                _rangerPort.Dispose();
                _rangerPort = null;
            }
        }

        /// <summary>
        /// Measures the level once for the console (COM3 must be free: the console released it): a fresh ranger on
        /// the ultrasonic pins, or the pressure transducer. Leaves COM3 closed.
        /// </summary>
        public bool TryMeasureLevelOnce(out int levelMillimeters, out string error)
        {
            levelMillimeters = 0;
            GatewayConfig config = Config.HasConfig ? Config.Active : new GatewayConfig();
            ISensorSource source = _levelSource;
            Esp32SerialByteStream port = null;
            try
            {
                if (config.UltrasonicFitted && config.UltrasonicInterface == UltrasonicInterface.Uart)
                {
                    ReleaseCom3();
                    _board.MapCom3ToUltrasonic();
                    port = new Esp32SerialByteStream("COM3", 9600, 300);
                    source = new UartUltrasonicRanger(port, _airTemperature == null ? new FixedTemperatureProbe(false, 0) : _airTemperature,
                        BindingConfiguration.ToUltrasonicSettings(config), false);
                }

                if (source == null)
                {
                    error = "no level sensor fitted";
                    return false;
                }

                Reading r = new Reading();
                r.Channel = source.Channel;
                if (!source.TrySample(ref r) || !r.IsValid)
                {
                    error = "sensor did not answer or flagged the reading (status " + ((int)r.Status).ToString() + ")";
                    return false;
                }

                levelMillimeters = r.Value;
                error = "";
                return true;
            }
            finally
            {
                if (port != null)
                {
                    port.Dispose();
                }
            }
        }

        private void BuildSensors(GatewayConfig config, ArrayList sources, ArrayList chains)
        {
            BoardPins pins = _board.Pins;
            if (config.UltrasonicFitted && config.UltrasonicInterface == UltrasonicInterface.Uart)
            {
                try
                {
                    // COM3 in turn: the air temperature first (speed of sound), then the ranger.
                    _board.MapCom3ToOneWire();
                    int milli;
                    bool ok = OneShotTemperature.TryRead(out milli);
                    _airTemperature = new FixedTemperatureProbe(ok, milli);
                    _board.MapCom3ToUltrasonic();
                    _rangerPort = new Esp32SerialByteStream("COM3", 9600, 300);
                    UartUltrasonicRanger ranger = new UartUltrasonicRanger(_rangerPort, _airTemperature,
                        BindingConfiguration.ToUltrasonicSettings(config), false);
                    _levelSource = ranger;
                    sources.Add(ranger);
                    chains.Add(new FilterChain(new IReadingFilter[] { new SpikeFilter(300, 3) }));
                }
                catch (Exception ex)
                {
                    SensorFault("ultrasonic", ex);
                }
            }
            else if (config.UltrasonicFitted && config.UltrasonicInterface == UltrasonicInterface.Echo)
            {
                try
                {
                    // A trigger/echo ranger (JSN-SR04T, HC-SR04) on the same two wires as the UART ranger: trigger on
                    // the pin that is the sensor's RX in UART mode, echo on its TX. COM3 stays free for the 1-Wire probe.
                    _board.MapCom3ToOneWire();
                    int milli;
                    bool ok = OneShotTemperature.TryRead(out milli);
                    _airTemperature = new FixedTemperatureProbe(ok, milli);
                    _echoTimer = new Esp32EchoTimer(pins.UltrasonicTx, pins.UltrasonicRx);
                    EchoUltrasonicRanger ranger = new EchoUltrasonicRanger(_echoTimer, _airTemperature, BindingConfiguration.ToUltrasonicSettings(config));
                    _levelSource = ranger;
                    sources.Add(ranger);
                    chains.Add(new FilterChain(new IReadingFilter[] { new SpikeFilter(300, 3) }));
                }
                catch (Exception ex)
                {
                    SensorFault("ultrasonic (echo)", ex);
                }
            }

            if (config.PressureFitted)
            {
                try
                {
                    PressureTransducer pressure = new PressureTransducer(
                        new Esp32Ads1115Input(1, pins.Ads1115Address, InputMultiplexer.AIN0, MeasuringRange.FS4096), null,
                        BindingConfiguration.ToPressureSettings(config));
                    if (_levelSource == null)
                    {
                        _levelSource = pressure;
                    }

                    sources.Add(pressure);
                    chains.Add(new FilterChain(new IReadingFilter[] { new SpikeFilter(300, 3) }));
                }
                catch (Exception ex)
                {
                    SensorFault("pressure", ex);
                }
            }

            if (config.InclinometerFitted)
            {
                try
                {
                    // 256 counts per g at ±2 g full resolution; the binding's vector is in g.
                    _inclinometer = new Inclinometer(new Esp32Adxl345Accelerometer(1, pins.AccelerometerChipSelect, 256f),
                        BindingConfiguration.ToInclinometerSettings(config));
                    sources.Add(_inclinometer.Pitch);
                    chains.Add(new FilterChain(new IReadingFilter[0]));
                    sources.Add(_inclinometer.Roll);
                    chains.Add(new FilterChain(new IReadingFilter[0]));
                }
                catch (Exception ex)
                {
                    _inclinometer = null;
                    SensorFault("inclinometer", ex);
                }
            }

            if (config.BatteryFitted && pins.BatteryAdcChannel >= 0)
            {
                try
                {
                    SupplyVoltageSettings battery = new SupplyVoltageSettings();
                    battery.TopOhms = pins.BatteryTopOhms;
                    battery.BottomOhms = pins.BatteryBottomOhms;
                    sources.Add(new SupplyVoltageMonitor(new Esp32AdcInput(new AdcController(), pins.BatteryAdcChannel), battery));
                    chains.Add(new FilterChain(new IReadingFilter[0]));
                }
                catch (Exception ex)
                {
                    SensorFault("battery", ex);
                }
            }
        }

        /// <summary>Sensors that failed to open at this wake ("" when none); the others still sample.</summary>
        public string SensorFaults
        {
            get { return _sensorFaults; }
        }

        private void SensorFault(string sensor, Exception ex)
        {
            // One sensor that does not open (unplugged, bus fault) must not stop the others or the uplink.
            _sensorFaults = _sensorFaults + (_sensorFaults.Length == 0 ? "" : "; ") + sensor + ": " + ex.Message;
            Debug.WriteLine("SENSOR FAULT " + sensor + ": " + ex.Message);
        }
    }
}
