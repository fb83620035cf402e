using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Gateway.Bindings.Sensors")]
[assembly: AssemblyDescription("Sensor bindings: ultrasonic rangers, pressure transducers, inclinometers, battery divider, bus interfaces.")]
[assembly: AssemblyProduct("Gateway")]
[assembly: AssemblyCopyright("Gateway contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
