using System;
using System.CommandLine;
using System.Runtime.InteropServices;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway info: what this build is and what it runs on.</summary>
    public sealed class VersionInfoCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create()
        {
            var json = CommonOptions.Json();
            var cmd = new Command("info", "version of the tools and of the firmware core, and the host they run on");
            cmd.Options.Add(json);
            cmd.SetAction(pr =>
            {
                var core = typeof(Gateway.Core.Sensing.Reading).Assembly.GetName();
                new FigureReport()
                    .Add("core_assembly", core.Name)
                    .Add("core_version", core.Version?.ToString())
                    .Add("runtime", RuntimeInformation.FrameworkDescription)
                    .Add("os", RuntimeInformation.OSDescription)
                    .Add("processors", Environment.ProcessorCount)
                    .Write(Console.Out, pr.GetValue(json));
                return 0;
            });
            return cmd;
        }
    }
}
