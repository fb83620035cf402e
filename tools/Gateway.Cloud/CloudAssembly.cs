namespace Gateway.Cloud
{
    /// <summary>Marks the cloud assembly (decoders, receiver, storage live in folders beside this file).</summary>
    public static class CloudAssembly
    {
        /// <summary>The assembly's short name.</summary>
        public const string Name = "Gateway.Cloud";
    }
}
