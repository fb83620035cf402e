using System;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.Control.Technician
{
    /// <summary>The commands that act on the node and the site: zero-tilt, reference-level, commission, log, test mode, inject, cycle.</summary>
    public sealed partial class ConsoleInterpreter
    {
        private void ZeroTilt()
        {
            if (!_config.HasConfig)
            {
                Error("no configuration yet; config set <json> first");
                return;
            }

            if (!_config.Active.InclinometerFitted)
            {
                Error("no inclinometer fitted (channels.inclinometer.fitted is false)");
                return;
            }

            int x;
            int y;
            string error;
            if (!_services.TryMeasureRawTilt(out x, out y, out error))
            {
                Error("tilt measurement failed: " + error);
                return;
            }

            if (x < -90000 || x > 90000 || y < -90000 || y > 90000)
            {
                Error("implausible tilt " + x.ToString() + ", " + y.ToString() + " millidegrees");
                return;
            }

            GatewayConfig next = _config.Active.Clone();
            next.InclinometerZeroXMillidegrees = x;
            next.InclinometerZeroYMillidegrees = y;
            _config.ProposeValidated(next);
            _port.WriteLine("tilt zero: x " + x.ToString() + " mdeg, y " + y.ToString() + " mdeg" + (_config.IsTrial ? " (trial until the next successful uplink)" : ""));
            Ok();
        }

        private void ReferenceLevel(string text)
        {
            int reference;
            if (!TryParseInt32(text, out reference) || reference < -50000 || reference > 50000)
            {
                Error("reference level must be an integer in mm, -50000..50000");
                return;
            }

            if (!_config.HasConfig)
            {
                Error("no configuration yet; config set <json> first");
                return;
            }

            int raw;
            string error;
            if (!_services.TryMeasureRawLevel(out raw, out error))
            {
                Error("level measurement failed: " + error);
                return;
            }

            long offset = (long)reference - raw;
            if (offset < -100000 || offset > 100000)
            {
                Error("offset " + offset.ToString() + " mm is outside -100000..100000; check the mount height");
                return;
            }

            GatewayConfig next = _config.Active.Clone();
            next.LevelOffsetMillimeters = (int)offset;
            _config.ProposeValidated(next);
            _services.NoteTapeReference(reference, raw);
            _port.WriteLine("measured " + raw.ToString() + " mm, reference " + reference.ToString() + " mm, offset " + offset.ToString() + " mm"
                + (_config.IsTrial ? " (trial until the next successful uplink)" : ""));
            Ok();
        }

        private void Commission()
        {
            string reason;
            if (!_guard.MaySend(_config.Active.PrimaryTransport, out reason))
            {
                Error("cannot commission: " + reason);
                return;
            }

            string[] report;
            bool ok = _services.Commission(out report);
            WriteLines(report);
            Result(ok, "commissioning failed");
        }

        private void Log(int count)
        {
            if (count > 2)
            {
                Error("usage: log [n]");
                return;
            }

            int n = 20;
            if (count == 2 && (!TryParseInt32(_words[1], out n) || n < 1 || n > MaxLogLines))
            {
                Error("n must be 1.." + MaxLogLines.ToString());
                return;
            }

            string[] lines = _services.ReadLog(n);
            WriteLines(lines);
            Ok();
        }

        private void TestModeCommand(int count)
        {
            if (count != 2 || (_words[1] != "on" && _words[1] != "off"))
            {
                Error("usage: test-mode on|off");
                return;
            }

            bool on = _words[1] == "on";
            _services.SetTestMode(on);
            _testMode = on;
            _port.WriteLine(on ? "test-mode: on (sensor values come from inject)" : "test-mode: off");
            Ok();
        }

        private void Inject(int count)
        {
            if (!ExpectArgs(count, 3, "inject <channel> <value>"))
            {
                return;
            }

            if (!_testMode)
            {
                Error("inject needs test-mode on");
                return;
            }

            int index = ConfigParser.IndexOf(ChannelNames, _words[1]);
            if (index < 0)
            {
                Error("unknown channel '" + Printable(_words[1], 40) + "'; channels: distance level snow pressure tilt-x tilt-y temperature battery");
                return;
            }

            int value;
            if (!TryParseInt32(_words[2], out value))
            {
                Error("value must be an integer in the channel's fixed-point unit");
                return;
            }

            string error;
            if (!_services.InjectSensorValue(ChannelIds[index], value, out error))
            {
                Error("inject failed: " + error);
                return;
            }

            Ok();
        }

        private void Cycle(int count)
        {
            int n;
            if (count != 2 || !TryParseInt32(_words[1], out n) || n < 1 || n > MaxCycles)
            {
                Error("usage: cycle <n> (n = 1.." + MaxCycles.ToString() + ")");
                return;
            }

            if (!_testMode)
            {
                Error("cycle needs test-mode on");
                return;
            }

            for (int i = 1; i <= n; i++)
            {
                string line;
                if (!_services.RunTestCycle(i, out line))
                {
                    Error("cycle " + i.ToString() + " failed: " + line);
                    return;
                }

                _port.WriteLine(line);
            }

            Ok();
        }
    }
}
