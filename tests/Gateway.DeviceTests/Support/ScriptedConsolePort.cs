using System.Collections;
using Gateway.Control.Technician;

namespace Gateway.DeviceTests.Support
{
    /// <summary>A console port fed from a queue of lines, recording what the interpreter wrote.</summary>
    public sealed class ScriptedConsolePort : IConsolePort
    {
        /// <summary>Lines waiting to be read (strings).</summary>
        public readonly ArrayList Input = new ArrayList();

        /// <summary>Lines written (strings).</summary>
        public readonly ArrayList Output = new ArrayList();

        /// <inheritdoc />
        public string ReadLine(int timeoutMs)
        {
            if (Input.Count == 0)
            {
                return null;
            }

            string line = (string)Input[0];
            Input.RemoveAt(0);
            return line;
        }

        /// <inheritdoc />
        public void WriteLine(string line)
        {
            Output.Add(line);
        }

        /// <summary>The last line written, or "".</summary>
        public string Last
        {
            get { return Output.Count == 0 ? "" : (string)Output[Output.Count - 1]; }
        }

        /// <summary>Line <paramref name="index"/> written.</summary>
        public string Line(int index)
        {
            return (string)Output[index];
        }

        /// <summary>True when some written line equals <paramref name="line"/>.</summary>
        public bool Wrote(string line)
        {
            for (int i = 0; i < Output.Count; i++)
            {
                if ((string)Output[i] == line)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when some written line contains <paramref name="part"/>.</summary>
        public bool WroteContaining(string part)
        {
            for (int i = 0; i < Output.Count; i++)
            {
                if (((string)Output[i]).IndexOf(part) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Status lines ("OK" or "ERR ...") written.</summary>
        public int StatusLines
        {
            get
            {
                int n = 0;
                for (int i = 0; i < Output.Count; i++)
                {
                    string l = (string)Output[i];
                    if (l == "OK" || l.StartsWith("ERR "))
                    {
                        n++;
                    }
                }

                return n;
            }
        }
    }
}
