namespace Gateway.SurfaceCheck
{
    /// <summary>Entry point (placeholder until the check lands).</summary>
    public static class Program
    {
        /// <summary>Runs the check.</summary>
        public static int Main(string[] args)
        {
            System.Console.Error.WriteLine("surface check: not implemented yet");
            return 1;
        }
    }
}
