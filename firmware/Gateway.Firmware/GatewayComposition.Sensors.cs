using System.Collections;
using System.Diagnostics;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Ultrasonic;
using Gateway.Control.Composition;
using Gateway.Control.Config;
using Gateway.Core.Sensing;
using Gateway.Hardware.Esp32.Sensors;

namespace Gateway.Firmware
{
    /// <summary>The composition's sensors: built from the configuration and the board's pins, and the console's one-off level measurement on COM3.</summary>
    public sealed partial class GatewayComposition
    {
        /// <summary>Closes the ultrasonic sensor's port so COM3 can go to the technician console.</summary>
        public void ReleaseCom3()
        {
            if (_sensorParts != null)
            {
                _sensorParts.ReleaseUltrasonicUart();
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
                    source = new UartUltrasonicRanger(port, _airTemperature == null ? (ITemperatureProbe)new FixedTemperatureProbe(false, 0) : _airTemperature,
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
            _sensorParts = new Esp32SensorParts(_board);
            SensorComposer composed = new SensorComposer(config, _sensorParts);
            for (int i = 0; i < composed.Sources.Length; i++)
            {
                sources.Add(composed.Sources[i]);
                chains.Add(composed.Chains[i]);
            }

            _levelSource = composed.LevelSource;
            _inclinometer = composed.Inclinometer;
            _airTemperature = composed.AirTemperature;
            _sensorFaults = composed.Faults;
            if (_sensorFaults.Length != 0)
            {
                // One sensor that does not open (unplugged, bus fault) must not stop the others or the uplink.
                Debug.WriteLine("SENSOR FAULT " + _sensorFaults);
            }
        }

        /// <summary>Sensors that failed to open at this wake ("" when none); the others still sample.</summary>
        public string SensorFaults
        {
            get { return _sensorFaults; }
        }
    }
}
