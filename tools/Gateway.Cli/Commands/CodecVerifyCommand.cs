using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using Gateway.Cloud.Decoding;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway codec verify: authenticate a stream of batches in order and classify each one.</summary>
    public sealed class CodecVerifyCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "codec";

        /// <inheritdoc />
        public Command Create()
        {
            var hex = new Argument<string[]>("hex") { Description = "batches as hex, in arrival order", Arity = ArgumentArity.ZeroOrMore };
            var file = new Option<string?>("--file") { Description = "file of hex batches (HEX or HEX,RECEIVED), one a line, in arrival order (- for standard input)" };
            var received = new Option<string?>("--received") { Description = "arrival time of every batch, Unix ms or ISO 8601 (compact batches need it); a line's own \",RECEIVED\" wins" };
            var key = new Option<string>("--key") { Description = "device key, hex", Required = true };
            var keyId = new Option<int>("--key-id") { Description = "the device's current key id", DefaultValueFactory = _ => 1 };
            var device = new Option<uint>("--device") { Description = "device id", Required = true };
            var json = CommonOptions.Json();
            var cmd = new Command("verify", "verify tags and the chain of a batch stream: ok, malformed, truncated, wrong key, bad tag, replayed, reordered, dropped");
            cmd.Arguments.Add(hex);
            foreach (var o in new Option[] { file, received, key, keyId, device, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var verifier = new BatchVerifier();
                List<(byte[] Batch, long? ReceivedAtMs)> batches;
                long? receivedAll;
                try
                {
                    verifier.AddKey(pr.GetValue(device), (byte)pr.GetValue(keyId), CodecCli.ParseKey(pr.GetValue(key)!));
                    batches = CodecCli.ReadCaptured(pr.GetValue(hex), pr.GetValue(file));
                    receivedAll = pr.GetValue(received) is { } r ? CodecCli.ParseTime(r) : null;
                }
                catch (Exception e) when (e is FormatException or IOException or ArgumentException)
                {
                    Console.Error.WriteLine($"codec verify: {e.Message}");
                    return 2;
                }

                int notOk = 0;
                var results = new List<Dictionary<string, object?>>();
                for (int i = 0; i < batches.Count; i++)
                {
                    // The chain's next sequence comes from the batches verified before; the arrival time from the line or --received.
                    var r = verifier.Verify(batches[i].Batch, pr.GetValue(device), batches[i].ReceivedAtMs ?? receivedAll ?? -1);
                    if (r.Verdict != BatchVerdict.Ok)
                    {
                        notOk++;
                    }

                    results.Add(new Dictionary<string, object?>
                    {
                        ["index"] = i, ["verdict"] = r.Verdict.ToString(), ["accepted"] = r.Accepted, ["message"] = r.Message,
                        ["first_sequence"] = r.Batch?.FirstSequence, ["last_sequence"] = r.Batch?.LastSequence, ["readings"] = r.Batch?.Readings.Count,
                    });
                    if (!pr.GetValue(json))
                    {
                        Console.WriteLine($"{i,4}  {r.Verdict,-10} {(r.Batch != null ? $"{r.Batch.FirstSequence}..{r.Batch.LastSequence}" : ""),-24} {r.Message}");
                    }
                }

                if (pr.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["results"] = results, ["not_ok"] = notOk }));
                }

                return notOk == 0 ? 0 : 1;
            });
            return cmd;
        }
    }
}
