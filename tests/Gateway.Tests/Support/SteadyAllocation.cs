using System;
using Xunit;

namespace Gateway.Tests.Support
{
    /// <summary>
    /// "Allocates nothing" told apart from the runtime's own one-off allocation on the measuring thread (a method tiered
    /// up late on a loaded machine): an allocation of the code under test recurs in every span, the runtime's does not.
    /// </summary>
    internal static class SteadyAllocation
    {
        /// <summary>
        /// Passes when the measured span allocated nothing; otherwise measures the next span, which must allocate nothing,
        /// and the first must stay under <paramref name="oneOffLimit"/> bytes.
        /// </summary>
        public static void AssertNone(long firstSpanBytes, Func<long> nextSpanBytes, long oneOffLimit, string what)
        {
            ArgumentNullException.ThrowIfNull(nextSpanBytes);
            if (firstSpanBytes == 0)
            {
                return;
            }

            var again = nextSpanBytes();
            Assert.True(again == 0 && firstSpanBytes < oneOffLimit, $"{what} allocates: {firstSpanBytes} bytes over the first measured span, then {again}");
        }
    }
}
