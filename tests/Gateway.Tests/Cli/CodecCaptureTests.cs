using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Cli.Commands;
using Xunit;

namespace Gateway.Tests.Cli
{
    /// <summary>
    /// <c>./gateway codec decode|verify</c> on captured version-2 batches: a compact batch resolves its sequence and time
    /// from <c>--next-sequence</c> and the arrival time (<c>--received</c>, or <c>HEX,RECEIVED</c> a line), as the
    /// receiver does; without them it is refused with the flags to give. Checked on the built CLI as a process.
    /// </summary>
    public sealed class CodecCaptureTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-codeccli-").FullName;

        public void Dispose() => Directory.Delete(_dir, true);

        private static JsonElement Vector(string name)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "vectors", "codec-v2.json");
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name).Clone();
        }

        [Fact]
        public void A_compact_batch_decodes_with_the_chain_state_and_arrival_time_and_gives_the_vectors_readings()
        {
            var v = Vector("single-wake-compact");
            Assert.True(v.GetProperty("compact").GetBoolean());
            var ctx = v.GetProperty("context");
            string hex = v.GetProperty("hex").GetString()!;
            var (code, stdout, stderr) = SimCommandErrorTests.Cli(_dir, "codec", "decode", "--json",
                "--device", ctx.GetProperty("device_id").GetUInt32().ToString(),
                "--next-sequence", ctx.GetProperty("next_sequence").GetInt64().ToString(),
                hex + "," + ctx.GetProperty("received_at_ms").GetInt64());
            Assert.True(code == 0, stderr + stdout);

            using var doc = JsonDocument.Parse(stdout);
            var batch = doc.RootElement.GetProperty("batches")[0];
            var got = batch.GetProperty("readings").EnumerateArray().Select(r => (r.GetProperty("sequence").GetInt64(), r.GetProperty("value").GetInt64())).ToList();
            var want = v.GetProperty("readings").EnumerateArray().Select(r => (r[0].GetInt64(), r[3].GetInt64())).ToList();
            Assert.Equal(want, got);
        }

        [Fact]
        public void A_compact_batch_without_its_context_is_refused_naming_the_flags_to_give()
        {
            string hex = Vector("single-wake-compact").GetProperty("hex").GetString()!;
            var (code, stdout, _) = SimCommandErrorTests.Cli(_dir, "codec", "decode", "--device", "42", "--received", "1788652922000", hex);
            Assert.Equal(1, code);
            Assert.Contains("--next-sequence", stdout);
            Assert.DoesNotContain("1005", stdout); // no guessed sequence is printed
        }

        [Fact]
        public void Captured_lines_carry_an_optional_arrival_time_and_a_bad_one_is_one_line_and_exit_2()
        {
            var captured = CodecCli.ReadCaptured(new[] { "21 fe db", "# comment", "21fedb,2026-12-06T08:00:00Z", "21fedb,1790000000000" }, null);
            Assert.Equal(3, captured.Count);
            Assert.Null(captured[0].ReceivedAtMs);
            Assert.Equal(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), captured[1].ReceivedAtMs);
            Assert.Equal(1790000000000, captured[2].ReceivedAtMs);
            Assert.Equal(new byte[] { 0x21, 0xfe, 0xdb }, captured[0].Batch);

            var (code, _, stderr) = SimCommandErrorTests.Cli(_dir, "codec", "verify", "--device", "42", "--key", "000102030405060708090a0b0c0d0e0f", "21fedb,yesterday");
            Assert.Equal(2, code);
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.Contains("'yesterday' is not a time", stderr);
        }
    }
}
