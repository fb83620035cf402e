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
            var device = new Option<uint>("--device") { Description = "device id (version 2 does not carry it: it is bound into the tag)" };
            var next = new Option<long?>("--next-sequence") { Description = "the receiver's next expected sequence of the device (resolves a compact batch's sequence)" };
            var received = new Option<string?>("--received") { Description = "arrival time, Unix ms or ISO 8601 (resolves a compact batch's time); a line's own \",RECEIVED\" wins" };
            var json = CommonOptions.Json();
            var cmd = new Command("decode", "decode batches to readable text or JSON (structure only; verify checks the tags)");
            cmd.Arguments.Add(hex);
            foreach (var o in new Option[] { file, device, next, received, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                List<(byte[] Batch, long? ReceivedAtMs)> batches;
                long? receivedAll;
                try
                {
                    batches = CodecCli.ReadCaptured(pr.GetValue(hex), pr.GetValue(file));
                    receivedAll = pr.GetValue(received) is { } r ? CodecCli.ParseTime(r) : null;
                }
                catch (Exception e) when (e is FormatException or IOException)
                {
                    Console.Error.WriteLine($"codec decode: {e.Message}");
                    return 2;
                }

                int failures = 0;
                var results = new List<object>();
                foreach (var (b, at) in batches)
                {
                    // A compact batch resolves its sequence and time from the chain and the arrival (§9.3); without them
                    // it is refused with a message that names what is missing.
                    var arrival = at ?? receivedAll;
                    var nextSequence = pr.GetValue(next);
                    var context = new BatchContext(pr.GetValue(device), nextSequence ?? 0, nextSequence is null ? -1 : arrival ?? -1);
                    var status = BatchDecoder.TryDecode(b, context, out var d, out var error);
                    if (error == BatchDecoder.CompactNeedsContext)
                    {
                        error += ": give --next-sequence and --received (or HEX,RECEIVED a line)";
                    }

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
