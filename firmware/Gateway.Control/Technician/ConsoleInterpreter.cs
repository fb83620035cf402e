using System;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.Control.Technician
{
    /// <summary>
    /// The technician console's command interpreter. Reads a line, runs one command, and answers with zero or more
    /// information lines followed by exactly one status line: "OK" or "ERR &lt;reason&gt;" — so a person reads it and a
    /// script (provisioning, hardware in the loop) can wait for the status line. Garbage, overlong lines, unknown
    /// commands and failing services produce an ERR line, never an exception. Secrets are never echoed in full.
    /// </summary>
    public sealed partial class ConsoleInterpreter
    {
        /// <summary>Longest line accepted (a full configuration document after "config set ").</summary>
        public const int MaxLineChars = ConfigParser.MaxDocumentChars + 16;

        /// <summary>Most cycles one "cycle" command runs.</summary>
        public const int MaxCycles = 1000;

        /// <summary>Most log lines one "log" command prints.</summary>
        public const int MaxLogLines = 500;

        private static readonly string[] HelpLines =
        {
            "help                                  this list",
            "status                                identity (keys masked), configuration state, readings, storage, uplink",
            "provision device-id <n>               set the device id (1..4294967295)",
            "provision key <id> <hex>              set device key <id> (1..255), 64 hex digits",
            "provision lora <deveui> <joineui> <appkey>   LoRaWAN OTAA identity (16, 16, 32 hex digits)",
            "provision mqtt <user> <password>      MQTT credentials",
            "config get                            the configuration in force (canonical JSON)",
            "config set <json>                     validate and apply as a trial (reverted if no uplink succeeds)",
            "selftest                              check sensors, flash and modem",
            "zero-tilt                             take the present tilt as zero",
            "reference-level <mm>                  tape-measured level now; sets the level offset",
            "commission                            on-site check (sensors, link, time, storage, self-test); signed record sent and printed",
            "log [n]                               the newest n log lines (default 20)",
            "test-mode on|off                      hardware in the loop: sensor values from 'inject'",
            "inject <channel> <value>              test mode only; channels: distance level snow pressure tilt-x tilt-y temperature battery",
            "cycle <n>                             test mode only: n sampling cycles now, test clock +1 cadence period each",
        };

        private static readonly string[] ChannelNames = { "distance", "level", "snow", "pressure", "tilt-x", "tilt-y", "temperature", "battery" };

        private static readonly ChannelId[] ChannelIds =
        {
            ChannelId.DistanceMillimeters, ChannelId.WaterLevelMillimeters, ChannelId.SnowDepthMillimeters, ChannelId.PressurePascals,
            ChannelId.TiltXMillidegrees, ChannelId.TiltYMillidegrees, ChannelId.TemperatureMillicelsius, ChannelId.BatteryMillivolts,
        };

        private readonly IConsolePort _port;
        private readonly ConfigManager _config;
        private readonly DeviceProvisioning _provisioning;
        private readonly IConsoleServices _services;
        private readonly SendGuard _guard;
        private readonly string[] _words = new string[8];
        private bool _testMode;

        /// <summary>Creates the interpreter over its port, the configuration, the provisioning and the other layers' services.</summary>
        public ConsoleInterpreter(IConsolePort port, ConfigManager config, DeviceProvisioning provisioning, IConsoleServices services)
        {
            _port = port;
            _config = config;
            _provisioning = provisioning;
            _services = services;
            _guard = new SendGuard(provisioning, config);
        }

        /// <summary>True while test mode is on.</summary>
        public bool TestMode
        {
            get { return _testMode; }
        }

        /// <summary>Waits up to <paramref name="timeoutMs"/> for a line and executes it.</summary>
        /// <returns>True when a line was read (and answered).</returns>
        public bool PollOnce(int timeoutMs)
        {
            string line;
            try
            {
                line = _port.ReadLine(timeoutMs);
            }
            catch (Exception ex)
            {
                _port.WriteLine("ERR console read failed: " + ex.Message);
                return false;
            }

            if (line == null)
            {
                return false;
            }

            Execute(line);
            return true;
        }

        /// <summary>Executes one line and writes its answer. Blank lines and lines starting with '#' get no answer. Never throws.</summary>
        public void Execute(string line)
        {
            try
            {
                ExecuteUnguarded(line);
            }
            catch (Exception ex)
            {
                Error("internal error: " + ex.Message);
            }
        }

        // ------------------------------------------------------------------ dispatch

        private void ExecuteUnguarded(string line)
        {
            if (line == null)
            {
                return;
            }

            if (line.Length > MaxLineChars)
            {
                Error("line too long (" + line.Length.ToString() + " characters, at most " + MaxLineChars.ToString() + ")");
                return;
            }

            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if ((c < ' ' && c != '\t' && c != '\r') || c == (char)0x7F)
                {
                    Error("line contains control characters; type help");
                    return;
                }
            }

            int count = Split(line);
            if (count == 0 || _words[0][0] == '#')
            {
                // Blank lines and comments (provisioning scripts carry them) get no answer.
                return;
            }

            string cmd = _words[0];
            switch (cmd)
            {
                case "help":
                    for (int i = 0; i < HelpLines.Length; i++)
                    {
                        _port.WriteLine(HelpLines[i]);
                    }

                    Ok();
                    return;
                case "status":
                    Status();
                    return;
                case "provision":
                    Provision(count);
                    return;
                case "config":
                    Config(line, count);
                    return;
                case "selftest":
                    if (ExpectArgs(count, 1, "selftest"))
                    {
                        string[] report;
                        bool passed = _services.RunSelfTest(out report);
                        WriteLines(report);
                        Result(passed, "self-test failed");
                    }

                    return;
                case "zero-tilt":
                    if (ExpectArgs(count, 1, "zero-tilt"))
                    {
                        ZeroTilt();
                    }

                    return;
                case "reference-level":
                    if (ExpectArgs(count, 2, "reference-level <mm>"))
                    {
                        ReferenceLevel(_words[1]);
                    }

                    return;
                case "commission":
                    if (ExpectArgs(count, 1, "commission"))
                    {
                        Commission();
                    }

                    return;
                case "log":
                    Log(count);
                    return;
                case "test-mode":
                    TestModeCommand(count);
                    return;
                case "inject":
                    Inject(count);
                    return;
                case "cycle":
                    Cycle(count);
                    return;
                default:
                    Error("unknown command '" + Printable(cmd, 40) + "'; type help");
                    return;
            }
        }

        /// <summary>Splits on spaces and tabs into <see cref="_words"/>; returns the word count (more than the buffer holds counts but is not stored).</summary>
        private int Split(string line)
        {
            int n = 0;
            int i = 0;
            while (i < line.Length)
            {
                while (i < line.Length && IsBlank(line[i]))
                {
                    i++;
                }

                if (i >= line.Length)
                {
                    break;
                }

                int start = i;
                while (i < line.Length && !IsBlank(line[i]))
                {
                    i++;
                }

                if (n < _words.Length)
                {
                    _words[n] = line.Substring(start, i - start);
                }

                n++;
            }

            return n;
        }

        private static bool IsBlank(char c)
        {
            return c == ' ' || c == '\t' || c == '\r';
        }

        private bool ExpectArgs(int count, int expected, string usage)
        {
            if (count != expected)
            {
                Error("usage: " + usage);
                return false;
            }

            return true;
        }

        // ------------------------------------------------------------------ commands

        // ------------------------------------------------------------------ output and parsing helpers

        private void WriteLines(string[] lines)
        {
            if (lines == null)
            {
                return;
            }

            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i] != null)
                {
                    _port.WriteLine(lines[i]);
                }
            }
        }

        private void Result(bool ok, string failure)
        {
            if (ok)
            {
                Ok();
            }
            else
            {
                Error(failure);
            }
        }

        private void Ok()
        {
            _port.WriteLine("OK");
        }

        private void Error(string reason)
        {
            _port.WriteLine("ERR " + reason);
        }

        /// <summary>Cuts echoed user text to <paramref name="max"/> printable ASCII characters (anything else shown as '?').</summary>
        private static string Printable(string s, int max)
        {
            int n = s.Length > max ? max : s.Length;
            var chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                char c = s[i];
                chars[i] = c < ' ' || c > '~' ? '?' : c;
            }

            return s.Length > max ? new string(chars) + "..." : new string(chars);
        }

        /// <summary>Parses a plain decimal unsigned 32-bit number (digits only, no sign, no culture).</summary>
        internal static bool TryParseUInt32(string s, out uint value)
        {
            value = 0;
            if (s == null || s.Length == 0 || s.Length > 10)
            {
                return false;
            }

            ulong v = 0;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                v = (v * 10) + (ulong)(c - '0');
            }

            if (v > uint.MaxValue)
            {
                return false;
            }

            value = (uint)v;
            return true;
        }

        /// <summary>Parses a plain decimal signed 32-bit number (optional '-', digits only, no culture).</summary>
        internal static bool TryParseInt32(string s, out int value)
        {
            value = 0;
            if (s == null || s.Length == 0)
            {
                return false;
            }

            bool negative = s[0] == '-';
            string digits = negative ? s.Substring(1) : s;
            uint magnitude;
            if (!TryParseUInt32(digits, out magnitude))
            {
                return false;
            }

            if (negative ? magnitude > 2147483648u : magnitude > 2147483647u)
            {
                return false;
            }

            value = negative ? (int)(0 - (long)magnitude) : (int)magnitude;
            return true;
        }
    }
}
