using System;
using System.IO;

namespace Gateway.Cli
{
    /// <summary>Progress of a long run: a redrawn bar on a terminal, a plain line every 10% otherwise.</summary>
    public sealed class ProgressLine
    {
        private readonly TextWriter _out;
        private readonly string _label;
        private readonly bool _terminal;
        private int _lastShown = -1;

        /// <summary>Creates the progress display.</summary>
        public ProgressLine(TextWriter output, string label)
        {
            _out = output;
            _label = label;
            _terminal = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") != "true";
        }

        /// <summary>Shows the fraction done (0..1).</summary>
        public void Report(double done)
        {
            var percent = (int)Math.Clamp(done * 100, 0, 100);
            if (_terminal)
            {
                if (percent == _lastShown)
                {
                    return;
                }

                var width = 40;
                var filled = percent * width / 100;
                _out.Write($"\r{_label} [{new string('#', filled)}{new string('.', width - filled)}] {percent,3}%");
            }
            else if (percent / 10 != _lastShown / 10 || _lastShown < 0)
            {
                _out.WriteLine($"{_label}: {percent}%");
            }

            _lastShown = percent;
        }

        /// <summary>Ends the display.</summary>
        public void Done()
        {
            if (_terminal)
            {
                _out.WriteLine();
            }
        }
    }
}
