using System;
using System.Collections.Generic;
using System.IO;
using Gateway.Control;
using Gateway.Control.Technician;
using Gateway.Core.Sensing;

namespace Gateway.Tests.Control
{
    /// <summary>In-memory atomic blob store: a write replaces the whole blob at once (copies in and out).</summary>
    public sealed class InMemoryDurableBlobs : IDurableBlobs
    {
        private readonly Dictionary<string, byte[]> _blobs = new();

        public int Writes { get; private set; }

        public bool TryRead(string name, out byte[] data)
        {
            if (_blobs.TryGetValue(name, out var stored))
            {
                data = (byte[])stored.Clone();
                return true;
            }

            data = null!;
            return false;
        }

        public void WriteAtomic(string name, byte[] data)
        {
            _blobs[name] = (byte[])data.Clone();
            Writes++;
        }

        public bool Contains(string name) => _blobs.ContainsKey(name);

        public void Corrupt(string name, byte[] data) => _blobs[name] = data;

        public string Text(string name) => System.Text.Encoding.UTF8.GetString(_blobs[name]);
    }

    /// <summary>A console port fed from a queue of lines, recording what the interpreter wrote.</summary>
    public sealed class ScriptedConsolePort : IConsolePort
    {
        public readonly Queue<string> Input = new();
        public readonly List<string> Output = new();

        public string ReadLine(int timeoutMs) => Input.Count > 0 ? Input.Dequeue() : null!;

        public void WriteLine(string line) => Output.Add(line);

        public string Last => Output.Count == 0 ? "" : Output[^1];

        public string All => string.Join("\n", Output);
    }

    /// <summary>The other layers, faked: records calls and returns scripted results.</summary>
    public sealed class FakeConsoleServices : IConsoleServices
    {
        public bool SelfTestPasses = true;
        public bool CommissionSucceeds = true;
        public bool LevelAvailable = true;
        public int RawLevelMm = 1234;
        public bool TiltAvailable = true;
        public int RawTiltX = 1500;
        public int RawTiltY = -700;
        public bool TestMode;
        public readonly List<(ChannelId Channel, int Value)> Injected = new();
        public readonly List<string> Log = new();
        public int CommissionCalls;
        public bool ThrowFromStatus;

        public string[] DescribeStatus()
        {
            if (ThrowFromStatus)
            {
                throw new InvalidOperationException("status source failed");
            }

            return new[] { "level: 1234 mm", "storage: 3 % used" };
        }

        public bool RunSelfTest(out string[] report)
        {
            report = new[] { "ultrasonic: " + (SelfTestPasses ? "pass" : "FAIL no echo") };
            return SelfTestPasses;
        }

        public bool TryMeasureRawLevel(out int levelMillimeters, out string error)
        {
            levelMillimeters = RawLevelMm;
            error = LevelAvailable ? "" : "no echo";
            return LevelAvailable;
        }

        public bool TryMeasureRawTilt(out int xMillidegrees, out int yMillidegrees, out string error)
        {
            xMillidegrees = RawTiltX;
            yMillidegrees = RawTiltY;
            error = TiltAvailable ? "" : "no answer on I2C";
            return TiltAvailable;
        }

        public bool Commission(out string[] report)
        {
            CommissionCalls++;
            report = new[] { "joined", CommissionSucceeds ? "test batch acknowledged" : "no acknowledgement" };
            return CommissionSucceeds;
        }

        public string[] ReadLog(int count)
        {
            var n = Math.Min(count, Log.Count);
            return Log.GetRange(Log.Count - n, n).ToArray();
        }

        public void SetTestMode(bool on) => TestMode = on;

        public bool InjectSensorValue(ChannelId channel, int value, out string error)
        {
            if (!TestMode)
            {
                error = "not in test mode";
                return false;
            }

            Injected.Add((channel, value));
            error = "";
            return true;
        }

        public int Cycles;
        public (int Reference, int Measured)? TapeReference;

        public bool RunTestCycle(int cycleNumber, out string line)
        {
            Cycles++;
            line = "cycle " + cycleNumber;
            return true;
        }

        public void NoteTapeReference(int referenceMillimeters, int measuredMillimeters) => TapeReference = (referenceMillimeters, measuredMillimeters);
    }

    /// <summary>Configuration documents for the tests.</summary>
    public static class ConfigDocs
    {
        public static string RepoRoot
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Gateway.Host.slnx")))
                {
                    dir = dir.Parent;
                }

                return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
            }
        }

        /// <summary>The example document in Control/CONFIG.md.</summary>
        public static string Example
        {
            get
            {
                var md = File.ReadAllText(Path.Combine(RepoRoot, "firmware", "Gateway.Control", "CONFIG.md"));
                var start = md.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
                var end = md.IndexOf("```", start, StringComparison.Ordinal);
                return md.Substring(start, end - start);
            }
        }

        /// <summary>A small valid river configuration with a given site id and one varying field.</summary>
        public static string River(string siteId = "test-01", int cautionMm = 2400, int basePeriodS = 600) =>
            "{\"schema\":1,\"site\":{\"id\":\"" + siteId + "\",\"kind\":\"river\"},\"river\":{\"observation_start_mm\":1200,\"standby_mm\":1800,\"caution_mm\":"
            + cautionMm + ",\"evacuation_mm\":3000,\"danger_mm\":3500},\"cadence\":{\"base_s\":" + basePeriodS + "}}";
    }
}
