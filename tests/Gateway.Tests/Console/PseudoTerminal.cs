using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Gateway.Tests.ConsoleLink
{
    /// <summary>
    /// A pseudo-terminal pair through libc (posix_openpt, grantpt, unlockpt, ptsname_r): the slave path behaves like a
    /// serial device (stty works on it), the master is where a test plays the gateway.
    /// </summary>
    public sealed class PseudoTerminal : IDisposable
    {
        private const int ORdwr = 2;
        private const int ONoctty = 0x100;
        private const short PollIn = 1;

        public PseudoTerminal()
        {
            MasterFd = posix_openpt(ORdwr | ONoctty);
            if (MasterFd < 0 || grantpt(MasterFd) != 0 || unlockpt(MasterFd) != 0)
            {
                throw new InvalidOperationException("posix_openpt/grantpt/unlockpt failed: errno " + Marshal.GetLastPInvokeError());
            }

            var name = new byte[128];
            if (ptsname_r(MasterFd, name, name.Length) != 0)
            {
                throw new InvalidOperationException("ptsname_r failed");
            }

            SlavePath = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
        }

        public int MasterFd { get; private set; }

        public string SlavePath { get; }

        /// <summary>Reads what is available on the master within <paramref name="timeoutMs"/>; empty on timeout; null when the slave side closed.</summary>
        public byte[]? Read(int timeoutMs)
        {
            var fds = new PollFd[] { new() { Fd = MasterFd, Events = PollIn } };
            var ready = poll(fds, 1, timeoutMs);
            if (ready <= 0)
            {
                return Array.Empty<byte>();
            }

            var buffer = new byte[4096];
            var n = read(MasterFd, buffer, buffer.Length);
            return n <= 0 ? null : buffer.AsSpan(0, (int)n).ToArray();
        }

        public void Write(byte[] data) => write(MasterFd, data, data.Length);

        public void Dispose()
        {
            if (MasterFd >= 0)
            {
                close(MasterFd);
                MasterFd = -1;
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int posix_openpt(int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int grantpt(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int unlockpt(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int ptsname_r(int fd, byte[] buf, nint buflen);

        [DllImport("libc", SetLastError = true)]
        private static extern int poll([In, Out] PollFd[] fds, nuint nfds, int timeout);

        [DllImport("libc", SetLastError = true)]
        private static extern nint read(int fd, byte[] buf, nint count);

        [DllImport("libc", SetLastError = true)]
        private static extern nint write(int fd, byte[] buf, nint count);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);
    }
}
