using System;
using System.Collections.Generic;
using System.Text;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Uplink
{
    public sealed class AtCommandTests
    {
        private sealed class CapturingLine : ISerialLine
        {
            public readonly List<byte[]> Written = new();

            public void Write(byte[] data, int offset, int count) => Written.Add(data.AsSpan(offset, count).ToArray());

            public int ReadLine(byte[] buffer, int offset, int capacity, int timeoutMs) => SerialLineStatus.Timeout;

            public void DiscardInput()
            {
            }
        }

        [Fact]
        public void Builds_text_quoted_strings_numbers_and_hex_and_ends_with_CR_LF()
        {
            var cmd = new AtCommand(64);
            var line = new CapturingLine();
            cmd.Begin("AT+SMCONF=");
            cmd.AppendQuoted("URL");
            cmd.Append(",");
            cmd.AppendInt(-2147483648);
            cmd.Append(",");
            cmd.AppendHex(new byte[] { 0x00, 0xAB, 0xFF }, 0, 3);
            cmd.SendTo(line);
            Assert.Equal("AT+SMCONF=\"URL\",-2147483648,00ABFF\r\n", Encoding.ASCII.GetString(line.Written[0]));
        }

        [Fact]
        public void A_quote_or_control_character_inside_a_string_is_dropped_so_the_command_cannot_be_split()
        {
            var cmd = new AtCommand(64);
            cmd.Begin("AT+X=");
            cmd.AppendQuoted("a\"b\r\nc");
            Assert.Equal("AT+X=\"abc\"", cmd.ToString());
        }

        [Fact]
        public void What_would_overflow_the_buffer_is_cut_and_CR_LF_still_fit()
        {
            var cmd = new AtCommand(10);
            var line = new CapturingLine();
            cmd.Begin("AT+SEND=");
            cmd.AppendHex(new byte[] { 1, 2, 3, 4 }, 0, 4);
            cmd.AppendInt(123456);
            cmd.SendTo(line);
            var sent = line.Written[0];
            Assert.True(sent.Length <= 10, $"{sent.Length} bytes");
            Assert.Equal((byte)'\r', sent[^2]);
            Assert.Equal((byte)'\n', sent[^1]);
        }

        [Fact]
        public void Begin_starts_over()
        {
            var cmd = new AtCommand(32);
            cmd.Begin("AT+A");
            cmd.Begin("AT");
            Assert.Equal("AT", cmd.ToString());
            Assert.Equal(2, cmd.Length);
        }
    }
}
