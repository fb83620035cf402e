using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Gateway.Bindings.Rak3172")]
[assembly: AssemblyDescription("RAK3172 (RUI3) LoRaWAN module driver and uplink transport.")]
[assembly: AssemblyProduct("Gateway")]
[assembly: AssemblyCopyright("Gateway contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
