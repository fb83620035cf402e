using System;
using System.CommandLine;
using System.IO;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway audit keygen: a new log (or witness) key: the private file (mode 600) and the public key beside it (.vkey).</summary>
    public sealed class AuditKeygenCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "audit";

        /// <inheritdoc />
        public Command Create()
        {
            var name = new Option<string>("--name") { Description = "the log's origin (e.g. town.example/river-log) or the witness's name", Required = true };
            var key = new Option<string>("--key") { Description = "private key file to write (refused if it exists); the public key goes to FILE.vkey", Required = true };
            var witness = new Option<bool>("--witness") { Description = "a witness's cosigning key instead of a log key" };
            var cmd = new Command("keygen", "make the log's signing key (or a witness's cosigning key)");
            cmd.Options.Add(name);
            cmd.Options.Add(key);
            cmd.Options.Add(witness);
            cmd.SetAction(pr =>
            {
                var path = pr.GetValue(key)!;
                var signer = LogKeys.Generate(path, pr.GetValue(name)!, pr.GetValue(witness) ? NoteSigner.Cosignature : NoteSigner.Ed25519);
                File.WriteAllText(path + ".vkey", signer.VerifierKey + "\n");
                Console.WriteLine(signer.VerifierKey);
                return 0;
            });
            return cmd;
        }
    }
}
