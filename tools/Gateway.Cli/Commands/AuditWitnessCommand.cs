using System;
using System.CommandLine;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Gateway.Cloud;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway audit witness: a C2SP tlog-witness a second party runs: POST /add-checkpoint on --listen, cosigns
    /// checkpoints of the logs it is given that extend what it cosigned before, refuses forks and rewrites with an
    /// ALARM line on stderr and the request kept in STATE/evidence. Runs until SIGTERM/SIGINT (or --for seconds).
    /// </summary>
    public sealed class AuditWitnessCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "audit";

        /// <inheritdoc />
        public Command Create()
        {
            var key = new Option<string>("--key") { Description = "the witness's private key file (audit keygen --witness; mode 600)", Required = true };
            var logs = new Option<string[]>("--log") { Description = "a log to witness: its verifier key or a file holding it (repeatable)", Required = true };
            var state = new Option<string>("--state") { Description = "folder of the witness's state (latest cosigned checkpoint per log) and evidence", Required = true };
            var listen = new Option<string>("--listen") { Description = "HOST:PORT to listen on", DefaultValueFactory = _ => "127.0.0.1:7380" };
            var seconds = new Option<int>("--for") { Description = "stop after this many seconds (0: until interrupted)", DefaultValueFactory = _ => 0 };
            var cmd = new Command("witness", "run a transparency-log witness (C2SP tlog-witness): cosign checkpoints that extend the last one, refuse and raise an alarm on a fork or rewrite");
            foreach (var o in new Option[] { key, logs, state, listen, seconds })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var signer = LogKeys.Load(pr.GetValue(key)!, NoteSigner.Cosignature);
                var known = pr.GetValue(logs)!.Select(l => LogKeys.Verifier(l, "--log")).ToList();
                if (known.Any(k => k.Type != NoteSigner.Ed25519))
                {
                    throw new ConfigurationException("--log: a witness key was given where a log's key is expected");
                }

                var hp = pr.GetValue(listen)!;
                var colon = hp.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(hp[(colon + 1)..], out var port) || port is < 1 or > 65535)
                {
                    throw new ConfigurationException("--listen must be HOST:PORT");
                }

                var witness = new Witness(signer, known, pr.GetValue(state)!, line => Console.Error.WriteLine(line));
                using var stop = new ManualResetEventSlim();
                void Stop(PosixSignalContext c)
                {
                    c.Cancel = true;
                    stop.Set();
                }

                using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
                using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
                using var server = new WitnessServer(witness, hp[..colon], port);
                Console.WriteLine($"witness {signer.Name} listening on {server.Prefix}add-checkpoint; its key: {signer.VerifierKey}");
                var limit = pr.GetValue(seconds);
                stop.Wait(limit > 0 ? TimeSpan.FromSeconds(limit) : Timeout.InfiniteTimeSpan);
                Console.WriteLine($"witness stopped; {witness.Alarms} alarm(s)");
                return witness.Alarms == 0 ? 0 : 1;
            });
            return cmd;
        }
    }
}
