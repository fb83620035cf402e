using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Gateway.Bindings.Sim7080")]
[assembly: AssemblyDescription("SIM7080G (LTE-M / NB-IoT) modem driver and MQTT uplink transport.")]
[assembly: AssemblyProduct("Gateway")]
[assembly: AssemblyCopyright("Gateway contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
