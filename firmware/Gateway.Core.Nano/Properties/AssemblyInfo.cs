using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Gateway.Core")]
[assembly: AssemblyDescription("Portable core: readings, sensing and events, record log and durable state, codec, uplink scheduling, downlinks, the node cycle.")]
[assembly: AssemblyProduct("Gateway")]
[assembly: AssemblyCopyright("Gateway contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
