using System;
using System.Collections;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Temperature;
using Gateway.Bindings.Ultrasonic;
using Gateway.Control.Config;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Filters;

namespace Gateway.Control.Composition
{
    /// <summary>
    /// The node's sensor sources and filter chains from the configuration, one composition for the ESP32 and the
    /// virtual gateway: the ultrasonic ranger (UART or trigger/echo) after the air temperature it needs (also a channel
    /// of its own, <see cref="AirTemperatureSource"/>), the pressure
    /// transducer, the inclinometer's two axes, the battery divider; each with <see cref="StandardFilters"/>. A sensor
    /// that fails to open is recorded in <see cref="Faults"/> and the others still sample.
    /// </summary>
    public sealed class SensorComposer
    {
        private readonly ArrayList _sources = new ArrayList();
        private readonly ArrayList _chains = new ArrayList();
        private string _faults = "";

        /// <summary>Composes over <paramref name="parts"/> what <paramref name="config"/> says is fitted.</summary>
        public SensorComposer(GatewayConfig config, ISensorParts parts)
        {
            if (config.UltrasonicFitted)
            {
                try
                {
                    AirTemperature = parts.OpenAirTemperature();
                    ITemperatureProbe temperature = AirTemperature != null ? AirTemperature : new NoTemperature();
                    UltrasonicSettings settings = BindingConfiguration.ToUltrasonicSettings(config);
                    ISensorSource ranger = config.UltrasonicInterface == UltrasonicInterface.Echo
                        ? (ISensorSource)new EchoUltrasonicRanger(parts.OpenUltrasonicEcho(), temperature, settings)
                        : new UartUltrasonicRanger(parts.OpenUltrasonicUart(), temperature, settings, false);
                    LevelSource = ranger;
                    Add(ranger);
                    if (AirTemperature != null)
                    {
                        Add(new AirTemperatureSource(AirTemperature));
                    }
                }
                catch (Exception ex)
                {
                    Fault("ultrasonic", ex);
                }
            }

            if (config.PressureFitted)
            {
                try
                {
                    PressureSettings settings = BindingConfiguration.ToPressureSettings(config);
                    PressureTransducer pressure = new PressureTransducer(parts.OpenPressureAdc(settings.Range), null, settings);
                    if (LevelSource == null)
                    {
                        LevelSource = pressure;
                    }

                    Add(pressure);
                }
                catch (Exception ex)
                {
                    Fault("pressure", ex);
                }
            }

            if (config.InclinometerFitted)
            {
                try
                {
                    Inclinometer = new Inclinometer(parts.OpenAccelerometer(), BindingConfiguration.ToInclinometerSettings(config));
                    Add(Inclinometer.Pitch);
                    Add(Inclinometer.Roll);
                }
                catch (Exception ex)
                {
                    Inclinometer = null;
                    Fault("inclinometer", ex);
                }
            }

            if (config.BatteryFitted)
            {
                try
                {
                    SupplyVoltageSettings settings = new SupplyVoltageSettings();
                    IAnalogInput input = parts.OpenBatteryInput(settings);
                    if (input != null)
                    {
                        Add(new SupplyVoltageMonitor(input, settings));
                    }
                }
                catch (Exception ex)
                {
                    Fault("battery", ex);
                }
            }

            Sources = new ISensorSource[_sources.Count];
            Chains = new FilterChain[_chains.Count];
            for (int i = 0; i < Sources.Length; i++)
            {
                Sources[i] = (ISensorSource)_sources[i];
                Chains[i] = (FilterChain)_chains[i];
            }
        }

        /// <summary>The sources, in the node's channel order.</summary>
        public ISensorSource[] Sources { get; private set; }

        /// <summary>One filter chain per source.</summary>
        public FilterChain[] Chains { get; private set; }

        /// <summary>The level source (ultrasonic first, else pressure), or null.</summary>
        public ISensorSource LevelSource { get; private set; }

        /// <summary>The inclinometer, or null.</summary>
        public Inclinometer Inclinometer { get; private set; }

        /// <summary>The air temperature probe the ranger compensates with, or null.</summary>
        public ITemperatureProbe AirTemperature { get; private set; }

        /// <summary>Sensors that failed to open ("" when none): "name: message; ...".</summary>
        public string Faults
        {
            get { return _faults; }
        }

        private void Add(ISensorSource source)
        {
            _sources.Add(source);
            _chains.Add(StandardFilters.For(source.Channel));
        }

        private void Fault(string sensor, Exception ex)
        {
            _faults = _faults + (_faults.Length == 0 ? "" : "; ") + sensor + ": " + ex.Message;
        }

        /// <summary>No probe fitted: the ranger sees a temperature it cannot read (its binding decides the fallback).</summary>
        private sealed class NoTemperature : ITemperatureProbe
        {
            public bool TryReadMillicelsius(out int millicelsius)
            {
                millicelsius = 0;
                return false;
            }
        }
    }
}
