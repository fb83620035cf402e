namespace Gateway.Control.Json
{
    /// <summary>
    /// The JSON literal <c>null</c> in a parsed tree. A distinct object (rather than a C# null) so that a Hashtable
    /// member holding null is distinguishable from a missing member on every runtime.
    /// </summary>
    public sealed class JsonNull
    {
        /// <summary>The single instance.</summary>
        public static readonly JsonNull Value = new JsonNull();

        private JsonNull()
        {
        }

        /// <summary>Returns "null".</summary>
        public override string ToString()
        {
            return "null";
        }
    }
}
