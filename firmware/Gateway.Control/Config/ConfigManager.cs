using System;
using System.Collections;
using System.Text;
using Gateway.Control.Json;

namespace Gateway.Control.Config
{
    /// <summary>Called when the active configuration changes (applied, confirmed, reverted).</summary>
    /// <param name="active">The configuration now in force (do not modify it).</param>
    /// <param name="isTrial">True when it is an unconfirmed trial configuration.</param>
    public delegate void ConfigChangedHandler(GatewayConfig active, bool isTrial);

    /// <summary>Why the last trial configuration was reverted (a byte for the heartbeat; never renumber).</summary>
    public enum ConfigRevertCause : byte
    {
        /// <summary>No trial was ever reverted.</summary>
        None = 0,

        /// <summary>No uplink succeeded within the allowed number of sampling periods.</summary>
        NoUplinkWithinPeriods = 1,

        /// <summary>The gateway started more times than allowed during the trial (crash or reset loop).</summary>
        ResetLoop = 2,
    }

    /// <summary>
    /// Applies configuration changes as transactions with automatic revert. The last good configuration is kept
    /// durable; <see cref="Propose"/> validates a new document and stages it as the trial (persisted, the good one
    /// kept); <see cref="ReportUplinkSuccess"/> confirms the trial; if no uplink succeeds within
    /// <see cref="GatewayConfig.TrialPeriods"/> sampling periods of the GOOD configuration (the trusted one decides
    /// how long an untrusted one may run), or the gateway starts more than that many times in trial (a reset loop), the
    /// manager reverts to the good configuration and records why.
    /// </summary>
    /// <remarks>
    /// The state lives in one blob (<see cref="BlobName"/>) replaced atomically on every transition, so a reboot at
    /// any point finds either the state before or the state after the step, never a mixture; the trial's period and
    /// start counts live in a 16-byte blob tied to the state's generation (<see cref="CountersBlobName"/>). A blob that cannot be
    /// read or no longer validates is ignored (the gateway then runs unconfigured, and <see cref="LastEvent"/> says why).
    /// The very first configuration of a gateway has nothing to revert to and becomes the good one at once.
    /// </remarks>
    public sealed class ConfigManager
    {
        /// <summary>Name of the state blob (good and trial configurations, revert record, generation).</summary>
        public const string BlobName = "control.config";

        /// <summary>
        /// Name of the trial counters blob (16 bytes: generation, periods, starts; little-endian). Counting a period
        /// or a start rewrites only these bytes; they count only while their generation equals the state blob's,
        /// so every transition of the state blob (which bumps the generation) resets them without writing them.
        /// </summary>
        public const string CountersBlobName = "control.config.trial";

        private const int StateMaxChars = 3 * ConfigParser.MaxDocumentChars;

        private readonly IDurableBlobs _blobs;
        private readonly GatewayConfig _defaults = new GatewayConfig();
        private GatewayConfig _good;
        private GatewayConfig _trial;
        private int _trialPeriods;
        private int _trialStarts;
        private int _revertCount;
        private string _lastRevertReason = "";
        private ConfigRevertCause _lastRevertCause;
        private long _generation;

        /// <summary>Loads the persisted state (counting this start if a trial is running).</summary>
        public ConfigManager(IDurableBlobs blobs)
        {
            _blobs = blobs;
            LastEvent = "";
            Load();
            if (_trial == null)
            {
                return;
            }

            try
            {
                if (_trialStarts + 1 > _good.TrialPeriods)
                {
                    Revert(ConfigRevertCause.ResetLoop, "trial configuration reverted: " + (_trialStarts + 1).ToString() + " starts without a successful uplink (reset loop?)");
                }
                else
                {
                    object[] undo = Snapshot();
                    _trialStarts++;
                    SaveCountersOrUndo(undo);
                }
            }
            catch (Exception ex)
            {
                // Flash trouble must not stop the gateway from starting; the count is retried at the next start.
                LastEvent = "could not persist the trial start count: " + ex.Message;
            }
        }

        // A write that fails (throws) leaves both flash and memory in the state before the step, and the exception
        // reaches the caller: the step did not happen.

        /// <summary>Raised after the active configuration changed.</summary>
        public event ConfigChangedHandler Changed;

        /// <summary>True once a good configuration exists (a new gateway has none until commissioned).</summary>
        public bool HasConfig
        {
            get { return _good != null; }
        }

        /// <summary>The configuration in force: the trial if one is running, else the good one, else the defaults.</summary>
        public GatewayConfig Active
        {
            get
            {
                if (_trial != null)
                {
                    return _trial;
                }

                return _good != null ? _good : _defaults;
            }
        }

        /// <summary>The last confirmed configuration, or null on a gateway never configured.</summary>
        public GatewayConfig LastGood
        {
            get { return _good; }
        }

        /// <summary>True while an unconfirmed trial configuration is in force.</summary>
        public bool IsTrial
        {
            get { return _trial != null; }
        }

        /// <summary>Sampling periods the running trial has completed without an uplink success.</summary>
        public int TrialPeriodsElapsed
        {
            get { return _trialPeriods; }
        }

        /// <summary>Starts of the gateway while the running trial is in force.</summary>
        public int TrialStarts
        {
            get { return _trialStarts; }
        }

        /// <summary>How many trials were reverted over the gateway's life (for the heartbeat).</summary>
        public int RevertCount
        {
            get { return _revertCount; }
        }

        /// <summary>Why the last revert happened ("" if never), for the heartbeat.</summary>
        public string LastRevertReason
        {
            get { return _lastRevertReason; }
        }

        /// <summary>Why the last revert happened, as a code for the heartbeat.</summary>
        public ConfigRevertCause LastRevertCause
        {
            get { return _lastRevertCause; }
        }

        /// <summary>Increases by one on every persisted change of configuration (apply, confirm, revert).</summary>
        public long Generation
        {
            get { return _generation; }
        }

        /// <summary>The last notable thing that happened (for the console's status), "" if nothing.</summary>
        public string LastEvent { get; private set; }

        /// <summary>
        /// Validates <paramref name="json"/> and, if valid, stages it as the trial configuration (persisted before
        /// returning). An invalid document changes nothing; every problem is added to <paramref name="errors"/>.
        /// Proposing while a trial runs replaces that trial (the good configuration stays the revert target).
        /// </summary>
        /// <returns>True when the document was valid and is now in force.</returns>
        public bool Propose(string json, ConfigErrors errors)
        {
            var candidate = new GatewayConfig();
            if (!ConfigParser.TryParse(json, candidate, errors))
            {
                return false;
            }

            return ProposeValidated(candidate);
        }

        /// <summary>Stages an already validated configuration (e.g. a calibration change made from the console).</summary>
        /// <returns>True (the configuration is in force).</returns>
        public bool ProposeValidated(GatewayConfig candidate)
        {
            candidate = candidate.Clone();
            object[] undo = Snapshot();
            if (_good == null)
            {
                _good = candidate;
                _trial = null;
                LastEvent = "first configuration applied";
            }
            else if (ConfigWriter.ToJson(candidate) == ConfigWriter.ToJson(_good))
            {
                _trial = null;
                LastEvent = "configuration equals the good one; trial cleared";
            }
            else
            {
                _trial = candidate;
                LastEvent = "trial configuration applied";
            }

            _trialPeriods = 0;
            _trialStarts = 0;
            _generation++;
            SaveOrUndo(undo);
            RaiseChanged();
            return true;
        }

        /// <summary>An uplink was acknowledged end to end: confirms a running trial (it becomes the good configuration).</summary>
        public void ReportUplinkSuccess()
        {
            if (_trial == null)
            {
                return;
            }

            object[] undo = Snapshot();
            _good = _trial;
            _trial = null;
            _trialPeriods = 0;
            _trialStarts = 0;
            _generation++;
            LastEvent = "trial configuration confirmed by an uplink";
            SaveOrUndo(undo);
            RaiseChanged();
        }

        /// <summary>
        /// A sampling period ended. While a trial runs this counts towards its limit (persisted, so restarts do not
        /// reset it) and reverts when the limit is reached.
        /// </summary>
        /// <returns>True when this call reverted the trial.</returns>
        public bool OnSamplingPeriodElapsed()
        {
            if (_trial == null)
            {
                return false;
            }

            object[] undo = Snapshot();
            _trialPeriods++;
            if (_trialPeriods >= _good.TrialPeriods)
            {
                RestoreFrom(undo);
                Revert(ConfigRevertCause.NoUplinkWithinPeriods, "trial configuration reverted: no successful uplink within " + _good.TrialPeriods.ToString() + " sampling periods");
                return true;
            }

            SaveCountersOrUndo(undo);
            return false;
        }

        /// <summary>The active configuration as canonical JSON.</summary>
        public string ActiveJson()
        {
            return ConfigWriter.ToJson(Active);
        }

        private void Revert(ConfigRevertCause cause, string reason)
        {
            object[] undo = Snapshot();
            _trial = null;
            _trialPeriods = 0;
            _trialStarts = 0;
            _revertCount++;
            _generation++;
            _lastRevertReason = reason;
            _lastRevertCause = cause;
            LastEvent = reason;
            SaveOrUndo(undo);
            RaiseChanged();
        }

        /// <summary>The in-memory state, so a failed write can leave memory as it was (and as flash still is).</summary>
        private object[] Snapshot()
        {
            return new object[] { _good, _trial, _trialPeriods, _trialStarts, _revertCount, _lastRevertReason, _generation, LastEvent, _lastRevertCause };
        }

        private void RestoreFrom(object[] s)
        {
            _good = (GatewayConfig)s[0];
            _trial = (GatewayConfig)s[1];
            _trialPeriods = (int)s[2];
            _trialStarts = (int)s[3];
            _revertCount = (int)s[4];
            _lastRevertReason = (string)s[5];
            _generation = (long)s[6];
            LastEvent = (string)s[7];
            _lastRevertCause = (ConfigRevertCause)s[8];
        }

        private void SaveCountersOrUndo(object[] undo)
        {
            var data = new byte[16];
            PutInt64(data, 0, _generation);
            PutInt64(data, 8, ((long)_trialStarts << 32) | (uint)_trialPeriods);
            try
            {
                _blobs.WriteAtomic(CountersBlobName, data);
            }
            catch (Exception)
            {
                RestoreFrom(undo);
                throw;
            }
        }

        private static void PutInt64(byte[] data, int offset, long value)
        {
            for (int i = 0; i < 8; i++)
            {
                data[offset + i] = (byte)(value >> (8 * i));
            }
        }

        private static long GetInt64(byte[] data, int offset)
        {
            long value = 0;
            for (int i = 7; i >= 0; i--)
            {
                value = (value << 8) | data[offset + i];
            }

            return value;
        }

        private void SaveOrUndo(object[] undo)
        {
            try
            {
                Save();
            }
            catch (Exception)
            {
                RestoreFrom(undo);
                throw;
            }
        }

        private void RaiseChanged()
        {
            ConfigChangedHandler handler = Changed;
            if (handler != null)
            {
                handler(Active, IsTrial);
            }
        }

        // ------------------------------------------------------------------ persistence

        private void Save()
        {
            // The canonical JSON of the state object (members in ordinal order, as JsonWriter writes a Hashtable),
            // written member by member so that only one configuration's tree is alive at a time: a tree costs about
            // as much heap as the rest of the save together (about 18 KB on the 64-bit interpreter).
            var sb = new StringBuilder(256);
            sb.Append("{\"format\":1,\"generation\":");
            JsonWriter.WriteInteger(sb, _generation);
            sb.Append(",\"good\":");
            JsonWriter.Write(sb, _good != null ? (object)ConfigWriter.ToTree(_good) : JsonNull.Value);
            sb.Append(",\"revert_cause\":");
            JsonWriter.WriteInteger(sb, (long)_lastRevertCause);
            sb.Append(",\"revert_reason\":");
            JsonWriter.Write(sb, _lastRevertReason);
            sb.Append(",\"reverts\":");
            JsonWriter.WriteInteger(sb, _revertCount);
            sb.Append(",\"trial\":");
            JsonWriter.Write(sb, _trial != null ? (object)ConfigWriter.ToTree(_trial) : JsonNull.Value);
            sb.Append('}');
            _blobs.WriteAtomic(BlobName, Encoding.UTF8.GetBytes(sb.ToString()));
        }

        private void Load()
        {
            byte[] data;
            if (!_blobs.TryRead(BlobName, out data) || data == null)
            {
                return;
            }

            string text;
            try
            {
                text = Encoding.UTF8.GetString(data, 0, data.Length);
            }
            catch (Exception)
            {
                LastEvent = "stored configuration unreadable: not UTF-8";
                return;
            }

            var reader = new JsonReader(20, StateMaxChars, 1024);
            object tree;
            var state = reader.TryParse(text, out tree) ? tree as Hashtable : null;
            if (state == null)
            {
                LastEvent = "stored configuration unreadable: " + (reader.ErrorMessage ?? "not an object");
                return;
            }

            GatewayConfig good = ReadStoredConfig(state["good"]);
            if (good == null)
            {
                LastEvent = "stored good configuration invalid; running unconfigured";
                return;
            }

            _good = good;
            _revertCount = (int)ReadLong(state["reverts"]);
            _generation = ReadLong(state["generation"]);
            var reason = state["revert_reason"] as string;
            _lastRevertReason = reason ?? "";
            _lastRevertCause = (ConfigRevertCause)(byte)ReadLong(state["revert_cause"]);
            object trialTree = state["trial"];
            if (trialTree is Hashtable)
            {
                _trial = ReadStoredConfig(trialTree);
                if (_trial == null)
                {
                    LastEvent = "stored trial configuration invalid; good configuration kept";
                    return;
                }

                byte[] counters;
                if (_blobs.TryRead(CountersBlobName, out counters) && counters != null && counters.Length == 16 && GetInt64(counters, 0) == _generation)
                {
                    long packed = GetInt64(counters, 8);
                    _trialPeriods = (int)(packed & 0x7FFFFFFF);
                    _trialStarts = (int)((packed >> 32) & 0x7FFFFFFF);
                }
            }
        }

        private static GatewayConfig ReadStoredConfig(object tree)
        {
            if (!(tree is Hashtable))
            {
                return null;
            }

            var c = new GatewayConfig();
            return ConfigParser.TryApplyTree(tree, c, new ConfigErrors()) ? c : null;
        }

        private static long ReadLong(object o)
        {
            return o is long ? (long)o : 0;
        }
    }
}
