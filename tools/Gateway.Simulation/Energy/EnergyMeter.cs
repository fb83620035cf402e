using System;
using System.Collections.Generic;

namespace Gateway.Simulation.Energy
{
    /// <summary>
    /// One gateway's charge account, from its own activity timeline: every wake (a boot after a deep sleep, the
    /// time awake as the virtual clock ran, the samples taken and the sensors powered for them, the LoRaWAN airtime
    /// and receive windows the RAK3172 emulator timed, the modem's attaches, publishes and state) and every sleep
    /// between wakes (the floor currents, the modem's state, the ESP32 awake when the next sample was too close for a
    /// deep sleep). Charge is in mA·s by component; <see cref="PowerSupply"/> is drawn from as it goes.
    /// </summary>
    public sealed class EnergyMeter
    {
        /// <summary>Component names, as reported.</summary>
        public static readonly string[] Components = { "esp32", "regulator", "divider", "rak3172", "sim7080g", "sensors", "charger" };

        private readonly Dictionary<string, double> _mAs = new();
        private readonly CurrentProfile _p;
        private long _lastWallMs;
        private bool _awakeBetween;

        /// <summary>A meter from <paramref name="startWallMs"/> on.</summary>
        public EnergyMeter(CurrentProfile profile, PowerSupply supply, bool lora, bool cellular, bool ultrasonic, bool inclinometer, bool solar, long startWallMs)
        {
            _p = profile;
            Supply = supply;
            LoRa = lora;
            Cellular = cellular;
            Ultrasonic = ultrasonic;
            Inclinometer = inclinometer;
            Solar = solar;
            _lastWallMs = startWallMs;
            StartWallMs = startWallMs;
            foreach (var c in Components)
            {
                _mAs[c] = 0;
            }
        }

        /// <summary>The supply drawn from.</summary>
        public PowerSupply Supply { get; }

        /// <summary>Start of the account.</summary>
        public long StartWallMs { get; }

        /// <summary>End of the last interval counted.</summary>
        public long LastWallMs => _lastWallMs;

        private bool LoRa { get; }

        private bool Cellular { get; }

        private bool Ultrasonic { get; }

        private bool Inclinometer { get; }

        private bool Solar { get; }

        /// <summary>Wakes counted, and of them boots after a deep sleep or a reset.</summary>
        public int Wakes { get; private set; }

        /// <summary>Boots after a deep sleep or a reset.</summary>
        public int Boots { get; private set; }

        /// <summary>Sensor rail on-time, ms.</summary>
        public double SensorOnMs { get; private set; }

        /// <summary>Charge by component, mAh.</summary>
        public IReadOnlyDictionary<string, double> MahByComponent()
        {
            var d = new Dictionary<string, double>();
            foreach (var (k, v) in _mAs)
            {
                d[k] = v / 3600.0;
            }

            return d;
        }

        /// <summary>Total charge, mAh.</summary>
        public double TotalMah()
        {
            double s = 0;
            foreach (var v in _mAs.Values)
            {
                s += v;
            }

            return s / 3600.0;
        }

        private void Add(string component, double mA, double ms)
        {
            var mAs = mA * ms / 1000.0;
            _mAs[component] += mAs;
            Supply.Draw(mAs / 3600.0);
        }

        /// <summary>
        /// The time between the last wake's end and <paramref name="wallMs"/>: floor currents, the ESP32 asleep (or
        /// awake waiting, when the next sample was under the deep-sleep threshold), the modem in <paramref name="modemState"/>.
        /// </summary>
        public void Between(long wallMs, ModemState modemState, double supplyMillivolts, Func<long, double> celsiusAt)
        {
            var ms = (double)(wallMs - _lastWallMs);
            if (ms <= 0)
            {
                return;
            }

            Supply.Advance(_lastWallMs, wallMs, celsiusAt);
            Add("esp32", _awakeBetween ? _p.EspIdleAwakeMa : _p.EspDeepSleepMa, ms);
            Floor(ms, supplyMillivolts);
            if (LoRa)
            {
                Add("rak3172", _p.RakSleepMa, ms);
            }

            if (Cellular)
            {
                Add("sim7080g", ModemMa(modemState), ms);
            }

            _lastWallMs = wallMs;
        }

        /// <summary>
        /// One wake from <paramref name="startWallMs"/> to <paramref name="endWallMs"/> (virtual clock): a boot first
        /// when the gateway deep-slept or reset, the CPU, the sensors when it sampled, the radio's activity; then
        /// whether it stays awake until <paramref name="nextWakeWallMs"/>. <paramref name="modemBefore"/> is the modem's
        /// state since the last wake (until this one began), <paramref name="modemDuring"/> its state through this wake
        /// outside its radio-active time (on if it was on at any moment of the wake: switched on, attaching, or about
        /// to be switched off).
        /// </summary>
        public void Wake(long startWallMs, long endWallMs, long nextWakeWallMs, int samples, IReadOnlyList<long> airtimesUs,
            int attaches, int publishes, ModemState modemBefore, ModemState modemDuring, double supplyMillivolts, double celsius)
        {
            var boot = !_awakeBetween;
            Between(startWallMs, modemBefore, supplyMillivolts, _ => celsius);
            Wakes++;
            Supply.CheckWake(celsius);
            var awake = Math.Max(0, endWallMs - startWallMs) + _p.EspCycleMs;
            if (boot)
            {
                Boots++;
                awake += _p.EspBootMs;
            }

            Add("esp32", _p.EspRunningMa, awake);
            Floor(awake, supplyMillivolts);
            if (samples > 0)
            {
                var on = _p.SensorWarmupMs + Math.Max(Ultrasonic ? _p.UltrasonicMeasureMs : 0, Math.Max(Ultrasonic ? _p.ThermometerConversionMs : 0, Inclinometer ? _p.InclinometerMeasureMs : 0));
                on *= samples;
                SensorOnMs += on;
                if (Ultrasonic)
                {
                    Add("sensors", _p.UltrasonicMa, on);
                    Add("sensors", _p.ThermometerMa, Math.Min(on, samples * (_p.SensorWarmupMs + _p.ThermometerConversionMs)));
                }

                if (Inclinometer)
                {
                    Add("sensors", _p.InclinometerMa, on);
                }
            }

            if (LoRa)
            {
                double txMs = 0;
                foreach (var us in airtimesUs)
                {
                    txMs += us / 1000.0;
                }

                Add("rak3172", _p.RakTxMa, txMs);
                Add("rak3172", _p.RakRxMa, airtimesUs.Count * _p.RakRxMsPerUplink);
                Add("rak3172", _p.RakSleepMa, Math.Max(0, awake - txMs));
            }

            if (Cellular)
            {
                var active = attaches * _p.ModemActiveMsPerAttach + publishes * _p.ModemActiveMsPerPublish;
                Add("sim7080g", _p.ModemTxMa, active);
                Add("sim7080g", ModemMa(modemDuring), Math.Max(0, awake - active));
            }

            _lastWallMs = Math.Max(_lastWallMs, endWallMs);
            _awakeBetween = nextWakeWallMs - endWallMs < _p.DeepSleepThresholdMs;
        }

        /// <summary>A reset (power cut, brown-out): the next wake is a boot.</summary>
        public void Reset() => _awakeBetween = false;

        private void Floor(double ms, double supplyMillivolts)
        {
            Add("regulator", _p.LdoQuiescentMa, ms);
            Add("divider", supplyMillivolts / _p.DividerOhms, ms);
            if (Solar)
            {
                Add("charger", _p.ChargerLeakMa, ms);
            }
        }

        private double ModemMa(ModemState s) => s switch
        {
            ModemState.Off => _p.ModemOffMa,
            ModemState.Psm => _p.ModemPsmMa,
            _ => _p.ModemIdleMa,
        };
    }

    /// <summary>What the cellular modem is doing between wakes.</summary>
    public enum ModemState
    {
        /// <summary>Powered off (PWRKEY, AT+CPOWD).</summary>
        Off,

        /// <summary>Registered, in power saving mode.</summary>
        Psm,

        /// <summary>Powered, radio on or searching, UART awake.</summary>
        Idle,
    }
}
