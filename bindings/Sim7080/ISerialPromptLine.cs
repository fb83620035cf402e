using Gateway.Core.Uplink;

namespace Gateway.Bindings.Sim7080
{
    /// <summary>
    /// A serial line that can also report a data prompt: a single prompt byte (the SIM7080's '&gt;' after AT+SMPUB) that
    /// arrives at the start of a line and is never followed by CR LF, so <see cref="ISerialLine.ReadLine"/> alone would
    /// wait for it in vain. Lines that arrive before the prompt are returned as usual, so no URC is lost while waiting.
    /// </summary>
    public interface ISerialPromptLine : ISerialLine
    {
        /// <summary>
        /// As <see cref="ISerialLine.ReadLine"/>, but returns <see cref="PromptLineStatus.Prompt"/> as soon as
        /// <paramref name="prompt"/> arrives as the first byte of a line (one following space is dropped).
        /// </summary>
        int ReadLineOrPrompt(byte[] buffer, int offset, int capacity, int timeoutMs, byte prompt);
    }

    /// <summary>The extra result of <see cref="ISerialPromptLine.ReadLineOrPrompt"/>.</summary>
    public static class PromptLineStatus
    {
        /// <summary>The prompt byte arrived at the start of a line.</summary>
        public const int Prompt = -3;
    }
}
