using System.Collections.Generic;
using System.Text;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Uplink
{
    public sealed class LineAssemblerTests
    {
        // Feeds the text and returns what came out: lines as text, "<prompt>" and "<overflow>".
        private static List<string> Feed(LineAssembler a, string text, int prompt)
        {
            var got = new List<string>();
            var buffer = new byte[64];
            foreach (var b in Encoding.ASCII.GetBytes(text))
            {
                int r = a.Push(b, prompt);
                if (r == LineAssembler.PromptSeen)
                {
                    got.Add("<prompt>");
                }
                else if (r == SerialLineStatus.Overflow)
                {
                    got.Add("<overflow>");
                }
                else if (r == 1)
                {
                    int n = a.CopyLine(buffer, 0, buffer.Length);
                    got.Add(n < 0 ? "<overflow>" : Encoding.ASCII.GetString(buffer, 0, n));
                }
            }

            return got;
        }

        [Fact]
        public void Splits_lines_and_drops_the_carriage_return()
        {
            Assert.Equal(new[] { "OK", "", "+CSQ: 18,99" }, Feed(new LineAssembler(32), "OK\r\n\r\n+CSQ: 18,99\r\n", -1));
        }

        [Fact]
        public void A_prompt_counts_only_at_the_start_of_a_line_and_the_space_after_it_is_dropped()
        {
            var a = new LineAssembler(32);
            Assert.Equal(new[] { "<prompt>", "OK", "a > b", "<prompt>", "x" }, Feed(a, "> OK\r\na > b\r\n>x\r\n", '>'));
        }

        [Fact]
        public void Without_prompt_detection_a_leading_prompt_byte_is_line_text()
        {
            Assert.Equal(new[] { "> OK" }, Feed(new LineAssembler(32), "> OK\r\n", -1));
        }

        [Fact]
        public void An_overlong_line_is_dropped_whole_and_the_next_line_is_intact()
        {
            var a = new LineAssembler(8);
            Assert.Equal(new[] { "<overflow>", "OK" }, Feed(a, "0123456789ABCDEF\r\nOK\r\n", '>'));
        }

        [Fact]
        public void A_line_longer_than_the_callers_buffer_is_an_overflow_not_a_truncation()
        {
            var a = new LineAssembler(32);
            Assert.Equal(1, Feed1(a, "0123456789\n"));
            Assert.Equal(SerialLineStatus.Overflow, a.CopyLine(new byte[4], 0, 4));
        }

        [Fact]
        public void Reset_forgets_a_partial_line_and_the_prompt_state()
        {
            var a = new LineAssembler(32);
            Feed(a, "garb", '>');
            a.Reset();
            Assert.Equal(new[] { "<prompt>" }, Feed(a, ">", '>'));
            a.Reset();
            Assert.Equal(new[] { " OK" }, Feed(a, " OK\n", '>')); // the space is text again after a reset
        }

        private static int Feed1(LineAssembler a, string text)
        {
            int last = 0;
            foreach (var b in Encoding.ASCII.GetBytes(text))
            {
                last = a.Push(b, -1);
            }

            return last;
        }
    }
}
