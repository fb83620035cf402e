using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;

namespace Gateway.Cli
{
    /// <summary>Entry point of ./gateway.</summary>
    public static class Program
    {
        /// <summary>
        /// Builds the command tree from every <see cref="ICliCommand"/> and runs it. A configuration error
        /// (<see cref="Gateway.Cloud.ConfigurationException"/>) that a command did not handle itself is one line,
        /// <c>error: MESSAGE</c>, and exit code 2; anything else is reported as before (the exception, exit code 1).
        /// </summary>
        public static int Main(string[] args)
        {
            try
            {
                return BuildRoot().Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (Gateway.Cloud.ConfigurationException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return 2;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Console.Error.WriteLine("Unhandled exception: " + ex);
                return 1;
            }
        }

        /// <summary>The root command with every discovered command attached under its parent.</summary>
        public static RootCommand BuildRoot()
        {
            var root = new RootCommand(
                "Gateway: firmware for river, snow and slope gateways, and the host tools around it.\n" +
                "Commands that report figures print them as one JSON object with --json.");

            var commands = typeof(Program).Assembly.GetTypes()
                .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
                .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
                .ToList();

            var byName = new Dictionary<string, Command>(StringComparer.Ordinal);
            foreach (var c in commands.Where(c => c.Parent is null))
            {
                var cmd = c.Create();
                byName[cmd.Name] = cmd;
            }

            foreach (var c in commands.Where(c => c.Parent is not null))
            {
                if (!byName.TryGetValue(c.Parent!, out var parent))
                {
                    throw new InvalidOperationException($"command parent '{c.Parent}' does not exist");
                }

                parent.Subcommands.Add(c.Create());
            }

            foreach (var cmd in byName.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                root.Subcommands.Add(cmd);
            }

            return root;
        }
    }
}
