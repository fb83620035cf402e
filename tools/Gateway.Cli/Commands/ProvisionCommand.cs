using System;
using System.CommandLine;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway provision: creates a device key, DevEUI and AppKey for one gateway, writes its provisioning script
    /// and appends the cloud receiver's key entry. Prints identifiers and paths, never a secret.
    /// </summary>
    public sealed class ProvisionCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create()
        {
            var deviceId = new Option<uint>("--device-id") { Description = "the gateway's device id (1..4294967295)", Required = true };
            var keyFile = new Option<string>("--key-file") { Description = "the cloud receiver's key file (created if missing, mode 600)", DefaultValueFactory = _ => "keys.json" };
            var outDir = new Option<string>("--out") { Description = "directory for the provisioning script and LoRaWAN registration (mode 600)", DefaultValueFactory = _ => "." };
            var rotate = new Option<bool>("--rotate") { Description = "the device already has a key: add a new key id instead of refusing" };
            var joinEui = new Option<string>("--join-eui") { Description = "LoRaWAN JoinEUI (16 hex digits) of the join server", DefaultValueFactory = _ => "0000000000000000" };
            var json = CommonOptions.Json();
            var cmd = new Command("provision", "create a gateway's keys, its provisioning script and the cloud key-file entry");
            cmd.Options.Add(deviceId);
            cmd.Options.Add(keyFile);
            cmd.Options.Add(outDir);
            cmd.Options.Add(rotate);
            cmd.Options.Add(joinEui);
            cmd.Options.Add(json);
            cmd.SetAction(pr =>
            {
                var request = new ProvisionRequest(pr.GetValue(deviceId), pr.GetValue(keyFile)!, pr.GetValue(outDir)!, pr.GetValue(rotate), pr.GetValue(joinEui)!);
                ProvisionResult result;
                try
                {
                    result = DeviceProvisioner.Run(request);
                }
                catch (ProvisionRefusedException ex)
                {
                    if (pr.GetValue(json))
                    {
                        new FigureReport().Add("error", ex.Message).Write(Console.Out, true);
                    }
                    else
                    {
                        Console.Error.WriteLine("provision: " + ex.Message);
                    }

                    return ex.ExitCode;
                }

                new FigureReport()
                    .Add("device_id", result.DeviceId)
                    .Add("key_id", result.KeyId)
                    .Add("rotated", result.Rotated)
                    .Add("dev_eui", result.Rotated ? null : result.DevEui)
                    .Add("join_eui", result.Rotated ? null : result.JoinEui)
                    .Add("script", result.ScriptPath)
                    .Add("lorawan_registration", result.Rotated ? null : result.LorawanPath)
                    .Add("key_file", result.KeyFile)
                    .Add("devices_in_key_file", result.DevicesInKeyFile)
                    .Add("keys_in_key_file", result.KeysInKeyFile)
                    .Write(Console.Out, pr.GetValue(json));
                return 0;
            });
            return cmd;
        }
    }
}
