using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Gateway.DeviceTests")]
[assembly: AssemblyDescription("Gateway portable-logic tests that run on the nanoFramework runtime (nanoCLR or an ESP32)")]
[assembly: AssemblyProduct("Gateway")]
[assembly: AssemblyCopyright("Gateway contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
