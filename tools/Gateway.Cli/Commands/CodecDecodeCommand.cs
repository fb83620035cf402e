using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using Gateway.Cloud.Decoding;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway codec decode: the structure and readings of batches (not authenticated: see verify).</summary>
    public sealed class CodecDecodeCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "codec";

        /// <inheritdoc />
        public Command Create()
        {
            var hex = new Argument<string[]>("hex") { Description = "batches as hex", Arity = ArgumentArity.ZeroOrMore };
            var file = new Option<string?>("--file") { Description = "file of hex batches, one a line (- for standard input)" };
            var json = CommonOptions.Json();
            var cmd = new Command("decode", "decode batches to readable text or JSON (structure only; verify checks the tags)");
            cmd.Arguments.Add(hex);
            cmd.Options.Add(file);
            cmd.Options.Add(json);
            cmd.SetAction(pr =>
            {
                List<byte[]> batches;
                try
                {
                    batches = CodecCli.ReadBatches(pr.GetValue(hex), pr.GetValue(file));
                }
                catch (Exception e) when (e is FormatException or IOException)
                {
                    Console.Error.WriteLine($"codec decode: {e.Message}");
                    return 2;
                }

                int failures = 0;
                var results = new List<object>();
                foreach (var b in batches)
                {
                    var status = BatchDecoder.TryDecode(b, out var d, out var error);
                    if (status != DecodeStatus.Ok)
                    {
                        failures++;
                        results.Add(new Dictionary<string, object> { ["error"] = $"{status.ToString().ToLowerInvariant()}: {error}" });
                        if (!pr.GetValue(json))
                        {
                            Console.WriteLine($"{status.ToString().ToLowerInvariant()}: {error}");
                        }

                        continue;
                    }

                    results.Add(CodecCli.ToJson(d!));
                    if (!pr.GetValue(json))
                    {
                        CodecCli.Print(Console.Out, d!);
                    }
                }

                if (pr.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["batches"] = results }));
                }

                return failures == 0 ? 0 : 1;
            });
            return cmd;
        }
    }
}
