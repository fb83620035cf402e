using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Gateway.Core.Codec;
using Gateway.Virtual.Security;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway codec encode: readings from a CSV into authenticated batches, one hex line each.</summary>
    public sealed class CodecEncodeCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "codec";

        /// <inheritdoc />
        public Command Create()
        {
            var csv = new Option<string>("--csv") { Description = "readings: sequence,channel,time,value[,status] (time: Unix ms or ISO 8601 UTC)", Required = true };
            var key = new Option<string>("--key") { Description = "device key, hex (16 bytes or more); there is no default key", Required = true };
            var keyId = new Option<int>("--key-id") { Description = "key id carried in the header", DefaultValueFactory = _ => 1 };
            var device = new Option<uint>("--device") { Description = "device id", Required = true };
            var boot = new Option<uint>("--boot") { Description = "boot counter", DefaultValueFactory = _ => 1 };
            var budget = new Option<int>("--budget") { Description = "bytes per batch: 53, 125, 242 (LoRaWAN AS923 DR3–DR5), 1024 (cellular)", DefaultValueFactory = _ => 242 };
            var tag = new Option<int>("--tag-bytes") { Description = "tag length: 8 (LoRaWAN) to 32; default 8 up to 242 B, else 16" };
            var chain = new Option<string?>("--chain") { Description = "chain state (previous tag, 64 hex digits) to continue from" };
            var output = new Option<string?>("--out") { Description = "write the batches (hex, one a line) to this file instead of standard output" };
            var json = CommonOptions.Json();
            var cmd = new Command("encode", "pack readings from a CSV into batches that fit a byte budget");
            foreach (var o in new Option[] { csv, key, keyId, device, boot, budget, tag, chain, output, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                try
                {
                    var (readings, seqs) = CodecCli.ReadCsv(pr.GetValue(csv)!);
                    int b = pr.GetValue(budget);
                    int t = pr.GetValue(tag);
                    if (t == 0)
                    {
                        t = b > 242 ? BatchFormat.CellularTagBytes : BatchFormat.MinTagBytes;
                    }

                    var enc = new BatchEncoder(new HostHmacSha256((byte)pr.GetValue(keyId), CodecCli.ParseKey(pr.GetValue(key)!)), pr.GetValue(device), pr.GetValue(boot), Math.Max(b, 16));
                    var chainHex = pr.GetValue(chain);
                    if (!string.IsNullOrEmpty(chainHex))
                    {
                        enc.SetChainState(Convert.FromHexString(chainHex), 0);
                    }

                    var lines = new List<string>();
                    var taken = new List<int>();
                    var buf = new byte[b];
                    int at = 0;
                    while (at < readings.Length)
                    {
                        int len = enc.Encode(readings, seqs, at, readings.Length - at, b, t, buf, 0);
                        if (len == 0)
                        {
                            Console.Error.WriteLine($"codec encode: not one reading fits {b} B (header + {t} B tag); use a larger budget or fragments (README §5.1)");
                            return 1;
                        }

                        enc.Commit();
                        lines.Add(Convert.ToHexStringLower(buf, 0, len));
                        taken.Add(enc.Taken);
                        at += enc.Taken;
                    }

                    var state = new byte[BatchEncoder.ChainStateLength];
                    enc.GetChainState(state, 0);
                    var file = pr.GetValue(output);
                    if (!string.IsNullOrEmpty(file))
                    {
                        File.WriteAllLines(file, lines);
                    }

                    if (pr.GetValue(json))
                    {
                        new FigureReport().Add("batches", lines).Add("readings_per_batch", taken).Add("readings", readings.Length)
                            .Add("chain_state", Convert.ToHexStringLower(state)).Write(Console.Out, true);
                    }
                    else if (string.IsNullOrEmpty(file))
                    {
                        lines.ForEach(Console.WriteLine);
                    }
                    else
                    {
                        Console.WriteLine($"{lines.Count} batches, {readings.Length} readings written to {file}; chain state {Convert.ToHexStringLower(state)}");
                    }

                    return 0;
                }
                catch (Exception e) when (e is FormatException or IOException or ArgumentException or OverflowException)
                {
                    Console.Error.WriteLine($"codec encode: {e.Message}");
                    return 2;
                }
            });
            return cmd;
        }
    }
}
