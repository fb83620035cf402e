using System;
using System.CommandLine;
using System.Text;
using Gateway.Cloud;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>The receiver's transparency-log options: the signing key, where checkpoints go, how often, which witnesses.</summary>
    internal sealed class LogOptions
    {
        public Option<string?> Key { get; } = new("--log-key") { Description = "the transparency log's private key file (mode 600; ./gateway audit keygen): sign checkpoints of the log" };

        public Option<string?> Folder { get; } = new("--checkpoint-dir") { Description = "folder the signed checkpoints are published to (checkpoint, checkpoints/SIZE)" };

        public Option<double> Every { get; } = new("--checkpoint-every") { Description = "minutes between checkpoints (signed when the log grew)", DefaultValueFactory = _ => 5 };

        public Option<string[]> Witness { get; } = new("--witness") { Description = "a witness to ask for cosignatures: URL,VKEY (repeatable)" };

        /// <summary>Starts signing when --log-key is given (null otherwise); checkpoints also go retained to log/ORIGIN/checkpoint.</summary>
        public LogCheckpointer? Start(ParseResult pr, IReceiverStore store, MqttReceiverService service)
        {
            if (pr.GetValue(Key) is not { } keyFile)
            {
                return null;
            }

            var every = pr.GetValue(Every);
            if (every is <= 0 or > 1440)
            {
                throw new ConfigurationException("--checkpoint-every must be above 0 and at most 1440 minutes");
            }

            var signer = LogKeys.Load(keyFile, NoteSigner.Ed25519);
            if (store is not SqlReceiverStore sql)
            {
                throw new ConfigurationException("the transparency log needs an SQLite or PostgreSQL store");
            }

            var checkpointer = new LogCheckpointer(sql, signer, pr.GetValue(Folder), AuditSupport.Witnesses(pr.GetValue(Witness)), line => Console.Error.WriteLine("gateway cloud run: " + line));
            checkpointer.Publish = (topic, note) =>
            {
                try
                {
                    service.PublishRetained(topic, Encoding.UTF8.GetBytes(note));
                }
                catch (InvalidOperationException ex)
                {
                    Console.Error.WriteLine("gateway cloud run: checkpoint not published on " + topic + ": " + ex.Message);
                }
            };
            checkpointer.Start(TimeSpan.FromMinutes(every));
            return checkpointer;
        }
    }
}
