using System;
using System.IO;

namespace Gateway.Cloud.Transparency
{
    /// <summary>
    /// The log's (or a witness's) private key file: one line, "PRIVATE+KEY+name+keyid+base64(type || seed)", readable
    /// by its owner alone (the receiver refuses a wider mode, as for the device key file). Never in the database.
    /// </summary>
    public static class LogKeys
    {
        /// <summary>Writes a new key to <paramref name="path"/> (mode 600, refusing to overwrite) and returns it.</summary>
        public static NoteSigner Generate(string path, string name, byte type)
        {
            ArgumentNullException.ThrowIfNull(path);
            NoteSigner signer;
            try
            {
                signer = NoteSigner.Generate(name, type);
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException("--name: " + ex.Message, ex);
            }

            if (File.Exists(path))
            {
                throw new ConfigurationException($"key file {path}: exists already; a log key is made once (move it away first)");
            }

            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var w = new StreamWriter(path, System.Text.Encoding.ASCII, options);
                w.WriteLine(signer.Export());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"key file {path}: cannot write it: {ex.Message}", ex);
            }

            return signer;
        }

        /// <summary>Loads a private key file; anything wrong is a one-line <see cref="ConfigurationException"/>.</summary>
        public static NoteSigner Load(string path, byte type)
        {
            ArgumentNullException.ThrowIfNull(path);
            string text;
            try
            {
                if (!OperatingSystem.IsWindows() && File.Exists(path))
                {
                    var mode = File.GetUnixFileMode(path);
                    if ((mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0)
                    {
                        throw new ConfigurationException(
                            $"log key file {path}: permissions 0{Convert.ToString((int)mode, 8)} are wider than owner read/write; the signing key must be readable by its owner alone: chmod 600 {path}");
                    }
                }

                text = File.ReadAllText(path);
            }
            catch (FileNotFoundException)
            {
                throw new ConfigurationException($"log key file {path}: not found (./gateway audit keygen --name ORIGIN --key {path} writes one)");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"log key file {path}: cannot read it: {ex.Message}", ex);
            }

            NoteSigner signer;
            try
            {
                signer = NoteSigner.Parse(text);
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException($"log key file {path}: {ex.Message}", ex);
            }

            if (signer.Type != type)
            {
                throw new ConfigurationException($"key file {path}: a {(signer.Type == NoteSigner.Ed25519 ? "log" : "witness")} key, not a {(type == NoteSigner.Ed25519 ? "log" : "witness")} key");
            }

            return signer;
        }

        /// <summary>Parses a verifier key given on the command line or in a file (its first line); a one-line <see cref="ConfigurationException"/> otherwise.</summary>
        public static NoteVerifier Verifier(string keyOrFile, string option)
        {
            ArgumentNullException.ThrowIfNull(keyOrFile);
            var text = keyOrFile;
            if (!keyOrFile.Contains('+', StringComparison.Ordinal) && File.Exists(keyOrFile))
            {
                text = File.ReadAllText(keyOrFile);
            }

            try
            {
                return NoteVerifier.Parse(text.Trim().Split('\n')[0]);
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException($"{option}: {ex.Message}", ex);
            }
        }
    }
}
