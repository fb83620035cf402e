using System;
using Gateway.Core.Sensing;

namespace Gateway.Core.Codec
{
    /// <content> Channel analysis and the exception list. </content>
    public sealed partial class BatchEncoder
    {
        /// <summary>True when every cycle's offset from the mean schedule fits the block value range (±2^30 ms).</summary>
        private bool TimeOffsetsFit(int n, long baseTime, long period)
        {
            for (int j = 0; j < n; j += _patternLength)
            {
                long d = _readings[_offset + j].TimeMs - baseTime - (j / _patternLength) * period;
                if (d > (1L << 30) || d < -(1L << 30))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Builds the channel list (pattern first) of the first n readings; false when over 16 channels.</summary>
        private bool AnalyseChannels(int n)
        {
            _channelCount = 0;
            _patternLength = 0;
            bool patternDone = false;
            for (int j = 0; j < n; j++)
            {
                byte ch = (byte)_readings[_offset + j].Channel;
                int index = IndexOfChannel(ch);
                if (index < 0)
                {
                    if (_channelCount == BatchFormat.MaxChannels)
                    {
                        return false;
                    }

                    _channels[_channelCount++] = ch;
                    if (!patternDone)
                    {
                        _patternLength = _channelCount;
                    }
                }
                else
                {
                    patternDone = true;
                }
            }

            return true;
        }

        private int IndexOfChannel(byte ch)
        {
            for (int c = 0; c < _channelCount; c++)
            {
                if (_channels[c] == ch)
                {
                    return c;
                }
            }

            return -1;
        }

        // ---------------------------------------------------------------- exceptions

        /// <summary>Walks the exceptions of the first n readings: counts them, or writes them.</summary>
        private int Exceptions(int n, long baseTime, long period, bool write, bool timeBlock)
        {
            int m = _patternLength;
            int bitsForChannel = BitWriter.BitLength((ulong)(_channelCount - 1));
            long baseCycle = 0;
            int lastIndex = 0;
            int count = 0;
            for (int j = 0; j < n; j++)
            {
                Reading r = _readings[_offset + j];
                if (j > 0)
                {
                    uint gap = _sequences[_offset + j] - _sequences[_offset + j - 1] - 1;
                    if (gap != 0)
                    {
                        count++;
                        if (write)
                        {
                            Entry(j, ref lastIndex, BatchFormat.ExceptionGap);
                            _writer.WriteGamma(gap);
                        }
                    }
                }

                long cycle = j / m;
                long expected = baseTime + (cycle - baseCycle) * period;
                if (timeBlock)
                {
                    long cycleTime = _readings[_offset + (int)cycle * m].TimeMs;
                    if (j % m != 0 && r.TimeMs != cycleTime)
                    {
                        count++;
                        if (write)
                        {
                            Entry(j, ref lastIndex, BatchFormat.ExceptionTime);
                            _writer.WriteSignedGamma(r.TimeMs - cycleTime);
                        }
                    }
                }
                else if (r.TimeMs != expected)
                {
                    bool rebase = false;
                    long newPeriod = period;
                    if (j % m == 0)
                    {
                        int next = j + m;
                        if (next < n)
                        {
                            long nextTime = _readings[_offset + next].TimeMs;
                            newPeriod = nextTime - r.TimeMs;
                            rebase = nextTime != expected + period && newPeriod >= 0 && newPeriod <= uint.MaxValue;
                        }
                        else
                        {
                            rebase = true;
                        }
                    }

                    count++;
                    if (rebase)
                    {
                        if (write)
                        {
                            Entry(j, ref lastIndex, BatchFormat.ExceptionCadence);
                            _writer.WriteGamma((ulong)newPeriod + 1);
                            _writer.WriteSignedGamma(r.TimeMs - expected);
                        }

                        baseTime = r.TimeMs;
                        baseCycle = cycle;
                        period = newPeriod;
                    }
                    else if (write)
                    {
                        Entry(j, ref lastIndex, BatchFormat.ExceptionTime);
                        _writer.WriteSignedGamma(r.TimeMs - expected);
                    }
                }

                if (r.Status != ReadingStatus.Ok)
                {
                    count++;
                    if (write)
                    {
                        Entry(j, ref lastIndex, BatchFormat.ExceptionStatus);
                        _writer.Write((ulong)r.Status, 16);
                    }
                }

                byte ch = (byte)r.Channel;
                if (_channels[j % m] != ch)
                {
                    count++;
                    if (write)
                    {
                        Entry(j, ref lastIndex, BatchFormat.ExceptionChannel);
                        _writer.Write((ulong)IndexOfChannel(ch), bitsForChannel);
                    }
                }
            }

            return count;
        }

        private void Entry(int index, ref int lastIndex, int kind)
        {
            _writer.WriteGamma((ulong)(index - lastIndex) + 1);
            _writer.Write((ulong)kind, 3);
            lastIndex = index;
        }
    }
}
