using System.Collections;
using Gateway.Control.Config;
using Gateway.Control.Json;
using Gateway.DeviceTests.Support;
using nanoFramework.Json;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Control.Config
{
    /// <summary>
    /// The project's JSON reader and configuration parser against nanoFramework.Json on the same document (the
    /// CONFIG.md example): both read the same key values, so their time and heap figures compare like with like
    /// (each builds a typed result: <see cref="GatewayConfig"/> with validation, or <see cref="NfConfigDocument"/>
    /// without). Heap figures are what each result keeps alive after a non-compacting collection.
    /// </summary>
    [TestClass]
    public class NanoJsonComparisonTests
    {
        /// <summary>
        /// The project's reader and nanoFramework.Json see the same site, location, river levels, cadence, transport
        /// and uplink values; prints config_parse_project_* and config_parse_nfjson_* figures.
        /// </summary>
        [TestMethod]
        public void ProjectReaderAndNanoJsonReadTheSameValuesFromTheConfigExample()
        {
            string json = ConfigExample.ExampleJson;

            long free0 = DeviceFigures.HeapFree();
            long t0 = DeviceFigures.NowMs();
            GatewayConfig project = new GatewayConfig();
            ConfigErrors errors = new ConfigErrors();
            bool ok = ConfigParser.TryParse(json, project, errors);
            long projectMs = DeviceFigures.NowMs() - t0;
            long free1 = DeviceFigures.HeapFree();
            Assert.IsTrue(ok, errors.ToString());

            long t1 = DeviceFigures.NowMs();
            object tree;
            Assert.IsTrue(new JsonReader().TryParse(json, out tree), "the project's reader reads the example");
            long treeMs = DeviceFigures.NowMs() - t1;
            long free2 = DeviceFigures.HeapFree();

            long t2 = DeviceFigures.NowMs();
            NfConfigDocument nf = (NfConfigDocument)JsonConvert.DeserializeObject(json, typeof(NfConfigDocument));
            long nfMs = DeviceFigures.NowMs() - t2;
            long free3 = DeviceFigures.HeapFree();

            DeviceFigures.Print("config_parse_project_ms", projectMs);
            DeviceFigures.Print("config_parse_project_heap_bytes", free0 - free1);
            DeviceFigures.Print("config_parse_project_tree_ms", treeMs);
            DeviceFigures.Print("config_parse_project_tree_heap_bytes", free1 - free2);
            DeviceFigures.Print("config_parse_nfjson_ms", nfMs);
            DeviceFigures.Print("config_parse_nfjson_heap_bytes", free2 - free3);

            Assert.IsNotNull(nf, "nanoFramework.Json read the example");
            Assert.AreEqual(project.SchemaVersion, nf.schema);
            Assert.AreEqual(project.SiteId, nf.site.id);
            Assert.AreEqual(project.SiteName, nf.site.name);
            Assert.AreEqual("river", nf.site.kind);
            Assert.IsTrue(System.Math.Abs(project.LatitudeDegrees - nf.site.lat) < 1e-9, "latitude " + nf.site.lat.ToString());
            Assert.IsTrue(System.Math.Abs(project.LongitudeDegrees - nf.site.lon) < 1e-9, "longitude " + nf.site.lon.ToString());
            Assert.AreEqual(project.ObservationStartLevelMillimeters, nf.river.observation_start_mm);
            Assert.AreEqual(project.StandbyLevelMillimeters, nf.river.standby_mm);
            Assert.AreEqual(project.CautionLevelMillimeters, nf.river.caution_mm);
            Assert.AreEqual(project.EvacuationLevelMillimeters, nf.river.evacuation_mm);
            Assert.AreEqual(project.DangerLevelMillimeters, nf.river.danger_mm);
            Assert.AreEqual(project.LevelHysteresisMillimeters, nf.river.hysteresis_mm);
            Assert.AreEqual(project.BaseCadenceSeconds, nf.cadence.base_s);
            Assert.AreEqual(project.AboveObservationCadenceSeconds, nf.cadence.above_observation_s);
            Assert.AreEqual(project.RiseTriggerMillimetersPer10Minutes, nf.cadence.rise_trigger_mm_per_10min);
            Assert.AreEqual("lora", nf.transport.primary);
            Assert.AreEqual(1, nf.transport.failover.Length);
            Assert.AreEqual("cellular", nf.transport.failover[0]);
            Assert.AreEqual(project.CellularApn, nf.transport.cellular.apn);
            Assert.AreEqual(project.MqttHost, nf.transport.mqtt.host);
            Assert.AreEqual(project.MqttPort, nf.transport.mqtt.port);
            Assert.AreEqual(project.MqttTls, nf.transport.mqtt.tls);
            Assert.AreEqual(project.MaxReadingsAtRisk, nf.uplink.max_at_risk);
            Assert.AreEqual("06:00", nf.uplink.alive_time);
            Assert.AreEqual(project.KeyId, nf.keys.key_id);

            // The project's raw tree holds the same values.
            Hashtable site = (Hashtable)((Hashtable)tree)["site"];
            Assert.AreEqual(nf.site.name, (string)site["name"]);
        }
    }

    // The typed mirror nanoFramework.Json fills (public fields named as the JSON members, as its resolver requires).
#pragma warning disable SA1300, SA1307, SA1401, SA1402, SA1649, CS1591

    /// <summary>The configuration document as nanoFramework.Json reads it (no validation).</summary>
    public sealed class NfConfigDocument
    {
        public int schema;
        public NfSite site;
        public NfRiver river;
        public NfCadence cadence;
        public NfTransport transport;
        public NfUplink uplink;
        public NfKeys keys;
    }

    /// <summary>site.</summary>
    public sealed class NfSite
    {
        public string id;
        public string name;
        public string kind;
        public double lat;
        public double lon;
    }

    /// <summary>river.</summary>
    public sealed class NfRiver
    {
        public int observation_start_mm;
        public int standby_mm;
        public int caution_mm;
        public int evacuation_mm;
        public int danger_mm;
        public int hysteresis_mm;
    }

    /// <summary>cadence.</summary>
    public sealed class NfCadence
    {
        public int base_s;
        public int above_observation_s;
        public int rise_trigger_mm_per_10min;
        public int trial_periods;
    }

    /// <summary>transport.</summary>
    public sealed class NfTransport
    {
        public string primary;
        public string[] failover;
        public NfCellular cellular;
        public NfMqtt mqtt;
    }

    /// <summary>transport.cellular.</summary>
    public sealed class NfCellular
    {
        public string apn;
    }

    /// <summary>transport.mqtt.</summary>
    public sealed class NfMqtt
    {
        public string host;
        public int port;
        public bool tls;
    }

    /// <summary>uplink.</summary>
    public sealed class NfUplink
    {
        public int max_at_risk;
        public string alive_time;
    }

    /// <summary>keys.</summary>
    public sealed class NfKeys
    {
        public int key_id;
    }
#pragma warning restore SA1300, SA1307, SA1401, SA1402, SA1649, CS1591
}
