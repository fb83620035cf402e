using System.Collections.Generic;
using Gateway.Core.Uplink;

namespace Gateway.Tests.UplinkEndToEnd
{
    /// <summary>Passes everything to another transport and records what class each payload handed to it had.</summary>
    internal sealed class RecordingTransport : IUplinkTransport
    {
        private readonly IUplinkTransport _inner;

        public RecordingTransport(IUplinkTransport inner) => _inner = inner;

        /// <summary>Class and outcome of every Send, in order.</summary>
        public List<(PayloadClass Class, UplinkStatus Status, long WallMs)> Sends { get; } = new();

        /// <summary>Wall time source for <see cref="Sends"/>.</summary>
        public System.Func<long> Now { get; set; } = () => 0;

        public string Name => _inner.Name;

        public bool IsAvailable => _inner.IsAvailable;

        public int MaxPayloadNow => _inner.MaxPayloadNow;

        public bool EnsureReady() => _inner.EnsureReady();

        public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
        {
            var r = _inner.Send(data, offset, count, payloadClass);
            Sends.Add((payloadClass, r.Status, Now()));
            return r;
        }

        public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel) => _inner.PollDownlink(buffer, offset, capacity, out channel);
    }
}
