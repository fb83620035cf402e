using Gateway.Bindings.Ultrasonic;
using Gateway.Core.Sensing;
using Xunit;

namespace Gateway.Tests.Bindings;

public class UartFrameTests
{
    private static int Feed(A02yyuwFrameParser p, params byte[] bytes)
    {
        int last = -1;
        foreach (byte b in bytes)
        {
            if (p.TryFeed(b, out int mm))
            {
                last = mm;
            }
        }

        return last;
    }

    [Fact]
    public void The_datasheet_frame_decodes_to_1953_mm()
    {
        // DFRobot A02YYUW wiki: FF 07 A1 A7 → 0x07A1 = 1953 mm, checksum (FF + 07 + A1) & FF = A7.
        var p = new A02yyuwFrameParser();
        Assert.Equal(1953, Feed(p, 0xFF, 0x07, 0xA1, 0xA7));
        Assert.Equal(1, p.GoodFrames);
    }

    [Fact]
    public void A_bad_checksum_is_counted_and_the_parser_resynchronises()
    {
        var p = new A02yyuwFrameParser();
        Assert.Equal(-1, Feed(p, 0x12, 0x34, 0xFF, 0x07, 0xA1, 0x00));
        Assert.Equal(1, p.BadChecksumFrames);
        Assert.Equal(2, p.DiscardedBytes - 4);
        // A header inside a rejected frame is not lost: FF 01 FF 07 fails its checksum, the parser restarts at the
        // inner FF and FF 07 A1 A7 decodes.
        var q = new A02yyuwFrameParser();
        Assert.Equal(1953, Feed(q, 0xFF, 0x01, 0xFF, 0x07, 0xA1, 0xA7));
        Assert.Equal(1, q.BadChecksumFrames);
    }

    [Fact]
    public void A_single_false_echo_among_five_pings_is_rejected_without_a_flag()
    {
        var agg = new PingAggregator(5);
        foreach (int mm in new[] { 1502, 1499, 612, 1501, 1500 })
        {
            agg.Add(mm);
        }

        Assert.True(agg.TryEvaluate(25, 15, 3, out int value, out ReadingStatus status));
        Assert.Equal(ReadingStatus.Ok, status);
        Assert.InRange(value, 1500, 1501);
        Assert.Equal(1, agg.LastRejected);
    }

    [Fact]
    public void Pings_without_a_majority_flag_the_reading_noisy()
    {
        var agg = new PingAggregator(5);
        foreach (int mm in new[] { 900, 1500, 2100, 1520, 300 })
        {
            agg.Add(mm);
        }

        Assert.True(agg.TryEvaluate(25, 15, 3, out _, out ReadingStatus status));
        Assert.Equal(ReadingStatus.Noisy, status);
    }
}
