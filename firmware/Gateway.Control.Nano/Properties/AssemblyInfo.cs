using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Gateway.Control")]
[assembly: AssemblyDescription("Control: configuration, JSON, provisioning, the technician console, commissioning and self-test, control blobs.")]
[assembly: AssemblyProduct("Gateway")]
[assembly: AssemblyCopyright("Gateway contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
