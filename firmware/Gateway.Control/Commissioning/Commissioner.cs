using System;
using System.Collections;
using System.Text;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Gateway.Core.Codec;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Core.Time;

namespace Gateway.Control.Commissioning
{
    /// <summary>
    /// Commissioning on site, the same on the ESP32 and on a virtual gateway: every fitted sensor once (flagged
    /// Maintenance), the link test (a marker written to the log, read back and sent; the round trip ends when the
    /// cloud's acknowledgement is applied), time sync, the storage check, the self-test; then the signed
    /// <see cref="CommissioningRecord"/> goes to the cloud. The platform supplies only what differs by board.
    /// </summary>
    public sealed class Commissioner
    {
        /// <summary>This firmware's version: major &lt;&lt; 24 | minor &lt;&lt; 16 | build (1.0.0).</summary>
        public const uint FirmwareVersion = 1u << 24;

        /// <summary>How long the link test waits for the cloud's acknowledgement, ms.</summary>
        public const int AcknowledgementWaitMs = 10000;

        private readonly IGatewayPlatform _platform;
        private bool _hasTape;
        private int _tapeMm;
        private uint _runs;

        /// <summary>Commissions over <paramref name="platform"/>.</summary>
        public Commissioner(IGatewayPlatform platform)
        {
            _platform = platform;
        }

        /// <summary>The last record sent (its bytes), or null.</summary>
        public byte[] LastRecord { get; private set; }

        /// <summary>The last record's tag.</summary>
        public byte[] LastTag { get; private set; }

        /// <summary>The technician's tape reference goes into the next record.</summary>
        public void NoteTapeReference(int referenceMillimeters)
        {
            _hasTape = true;
            _tapeMm = referenceMillimeters;
        }

        /// <summary>Runs the self-test (one line per check); true when every check passed.</summary>
        public bool RunSelfTest(out string[] report)
        {
            ArrayList lines = new ArrayList();
            bool ok = SelfTest.Run(_platform, NextSeed(), lines);
            report = ToArray(lines);
            return ok;
        }

        /// <summary>Commissions; true when every check passed and the record was sent.</summary>
        public bool Run(out string[] report)
        {
            string reason;
            if (!_platform.EnsureNode(out reason))
            {
                report = new string[] { "cannot commission: " + reason };
                return false;
            }

            GatewayNode node = _platform.Node;
            ArrayList lines = new ArrayList();
            DeviceProvisioning provisioning = _platform.Provisioning;
            GatewayConfig config = _platform.Config.Active;
            CommissioningRecord record = new CommissioningRecord();
            record.DeviceId = provisioning.DeviceId;
            record.FirmwareVersion = FirmwareVersion;
            record.ConfigGeneration = (uint)_platform.Config.Generation;
            byte[] key = new byte[DeviceProvisioning.DeviceKeyLength];
            provisioning.TryCopyDeviceKey(key, 0);
            Core.Security.IHmacSha256 hmac = _platform.CreateHmac(provisioning.KeyId, key);
            Array.Clear(key, 0, key.Length);

            // 1. Every fitted sensor once, flagged Maintenance (a technician's session).
            SampleSensors(config, record, lines);

            // 2. Link test with the log's part of 4: the marker is committed at once, read back, then sent.
            uint seq = node.Log.AppendEvent(RecordKind.Marker, 0, _platform.TestClock.WallTimeMs, MarkerCode.TechnicianLinkTest, 0);
            LogRecord back;
            bool logged = node.Log.TryReadNext(seq, out back) && back.Sequence == seq && back.Kind == RecordKind.Marker && back.Code == MarkerCode.TechnicianLinkTest;
            lines.Add("log: " + (logged ? "ok (link-test record " + seq.ToString() + " written and read back)" : "FAIL record not read back"));
            int before = node.AcknowledgementsApplied;
            long t0 = _platform.ElapsedMs;
            int sent = node.SendNow();
            while (node.AcknowledgementsApplied == before && _platform.AcknowledgementMayLag && _platform.ElapsedMs - t0 < AcknowledgementWaitMs)
            {
                _platform.WaitForLink(_platform.ElapsedMs - t0 < 1000 ? 50 : 1000);
                sent += node.SendNow();
            }

            bool acked = node.AcknowledgementsApplied > before;
            long rtt = _platform.ElapsedMs - t0;
            record.RoundTripMs = acked ? (rtt > CommissioningRecord.NoRoundTrip - 1 ? CommissioningRecord.NoRoundTrip - 1 : (int)rtt) : CommissioningRecord.NoRoundTrip;
            if (acked)
            {
                record.Flags |= CommissioningRecord.FlagLinkOk;
                _platform.Config.ReportUplinkSuccess();
            }

            _platform.ReadLinkSignal(record, lines);
            lines.Add("link: " + CommissioningRecord.LinkName(record.LinkTransport) + " over " + (_platform.Transport == null ? "-" : _platform.Transport.Name) + ", "
                + sent.ToString() + " payload(s) sent, " + (acked ? "acknowledged in " + rtt.ToString() + " ms" : "NO acknowledgement within " + (AcknowledgementWaitMs / 1000).ToString() + " s"));

            // 3. Time: the cloud sets the clock; a synchronised clock after the link test is a passed time check.
            int correction;
            bool synced = _platform.TimeSynchronised(out correction);
            record.TimeSync = synced ? CommissioningRecord.TimeSyncOk : CommissioningRecord.TimeSyncFailed;
            record.TimeCorrectionMs = correction;
            if (synced)
            {
                record.Flags |= CommissioningRecord.FlagTimeSyncOk;
            }

            lines.Add("time sync: " + (synced ? "ok" : "NOT synced") + ", correction " + correction.ToString() + " ms, quality " + ((int)_platform.Clock.Quality).ToString());

            // 4. Storage: the log's read-back above and a blob written and read back.
            bool stored = SelfTest.CheckFlash(_platform.Blobs, NextSeed(), lines) && logged;
            if (stored)
            {
                record.Flags |= CommissioningRecord.FlagStorageOk;
            }

            // 5. Self-test.
            ArrayList selfLines = new ArrayList();
            if (SelfTest.Run(_platform, NextSeed(), selfLines))
            {
                record.Flags |= CommissioningRecord.FlagSelfTestPassed;
            }

            for (int i = 0; i < selfLines.Count; i++)
            {
                lines.Add("self-test " + (string)selfLines[i]);
            }

            if (_hasTape)
            {
                record.Flags |= CommissioningRecord.FlagTapeReference;
                record.TapeReferenceMm = _tapeMm;
            }

            if (_platform.TestSources != null && _platform.TestSources.TestMode)
            {
                record.Flags |= CommissioningRecord.FlagTestMode;
            }

            CommissioningRecord.DigestConfig(hmac, Encoding.UTF8.GetBytes(_platform.Config.ActiveJson()), record.ConfigDigest, 0);
            record.TimeMs = _platform.TestClock.WallTimeMs;
            record.ClockQuality = _platform.Clock.Quality;
            byte[] bytes = new byte[record.Length];
            int n = record.Encode(hmac, bytes, 0);
            LastRecord = bytes;
            LastTag = new byte[CommissioningRecord.TagLength];
            Array.Copy(record.Tag, LastTag, LastTag.Length);
            lines.Add("record hex (" + n.ToString() + " bytes, " + BatchFragmenter.FragmentCount(n).ToString() + " LoRaWAN DR2 fragments): " + HexText.ToHex(bytes, 0, n));
            string[] described = record.Describe();
            for (int i = 0; i < described.Length; i++)
            {
                lines.Add(described[i]);
            }

            // 6. The record to the cloud.
            string detail;
            bool published = _platform.SendCommissioningRecord(bytes, n, out detail);
            lines.Add(published ? "record sent: " + detail : "record NOT sent: " + detail);
            report = ToArray(lines);
            return published && acked && stored && record.Has(CommissioningRecord.FlagSelfTestPassed);
        }

        private void SampleSensors(GatewayConfig config, CommissioningRecord record, ArrayList lines)
        {
            TestModeSources sources = _platform.TestSources;
            bool levelByProbe = !sources.TestMode && (config.UltrasonicFitted || config.PressureFitted);
            bool levelDone = false;
            for (int i = 0; i < sources.Sources.Length; i++)
            {
                Reading r = new Reading();
                r.Channel = sources.Sources[i].Channel;
                bool isLevel = r.Channel == ChannelId.WaterLevelMillimeters || r.Channel == ChannelId.SnowDepthMillimeters;
                if (isLevel && levelByProbe && !levelDone)
                {
                    // The first level sensor through the platform (on the ESP32 the ultrasonic sensor shares COM3 with
                    // the console); a second one (pressure beside ultrasonic) is sampled as it is.
                    levelDone = true;
                    int level;
                    string error;
                    if (_platform.TryMeasureRawLevel(out level, out error))
                    {
                        bool offsetApplies = (config.UltrasonicFitted && config.SiteKind == SiteKind.River) || (!config.UltrasonicFitted && config.PressureFitted);
                        r.Value = level + (offsetApplies ? config.LevelOffsetMillimeters : 0);
                    }
                    else
                    {
                        r.Status = ReadingStatus.NoEcho;
                    }
                }
                else if (!sources.Sources[i].TrySample(ref r))
                {
                    continue;
                }

                r.Status |= ReadingStatus.Maintenance;
                record.AddSensor(r.Channel, r.Value, r.Status);
                lines.Add("sensor ch" + ((int)r.Channel).ToString() + ": " + r.Value.ToString() + " status 0x" + ((int)r.Status).ToString("X4"));
            }
        }

        private uint NextSeed()
        {
            _runs++;
            return (uint)(_platform.Clock.UptimeMs ^ (_runs * 2654435761u));
        }

        private static string[] ToArray(ArrayList lines)
        {
            string[] result = new string[lines.Count];
            lines.CopyTo(result, 0);
            return result;
        }
    }
}
