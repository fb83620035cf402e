using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Gateway.Control.Config;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Control
{
    /// <summary>
    /// Seeded mutations of the documented example, each with an oracle written from CONFIG.md (independent of the
    /// parser): invalid ones must be rejected naming the mutated field, valid ones accepted with the new value in
    /// force, and after every rejection the configuration in force must be exactly the last good one.
    /// </summary>
    public class ConfigFuzzTests
    {
        private readonly ITestOutputHelper _output;

        public ConfigFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private enum FieldType { Int, Number, Text, Name, Bool }

        /// <summary>One field of the example document as CONFIG.md specifies it.</summary>
        private sealed record Field(string Path, FieldType Type, double Min, double Max, double ValidMin, double ValidMax, bool Required, string[]? Names = null, bool Cadence = false, bool Odd = false);

        // ValidMin/ValidMax: the sub-range that stays valid given the example's other fields (cross-field rules).
        private static readonly Field[] Fields =
        {
            new("schema", FieldType.Int, 1, 1, 1, 1, true),
            new("site.id", FieldType.Text, 1, 32, 1, 32, true),
            new("site.name", FieldType.Text, 0, 64, 0, 64, false),
            new("site.kind", FieldType.Name, 0, 0, 0, 0, true, new[] { "river", "snow", "slope" }),
            new("site.lat", FieldType.Number, -90, 90, -90, 90, true), // lat and lon come as a pair
            new("site.lon", FieldType.Number, -180, 180, -180, 180, true),
            new("channels.level_offset_mm", FieldType.Int, -100000, 100000, -100000, 100000, false),
            new("channels.ultrasonic.fitted", FieldType.Bool, 0, 0, 0, 0, false),
            new("channels.ultrasonic.interface", FieldType.Name, 0, 0, 0, 0, false, new[] { "uart", "echo" }),
            new("channels.ultrasonic.mount_height_mm", FieldType.Int, 100, 20000, 100, 20000, false),
            new("channels.ultrasonic.min_mm", FieldType.Int, 0, 20000, 0, 6999, false),
            new("channels.ultrasonic.max_mm", FieldType.Int, 0, 20000, 301, 20000, false),
            new("channels.ultrasonic.median_count", FieldType.Int, 1, 15, 1, 15, false, Odd: true),
            new("channels.pressure.fitted", FieldType.Bool, 0, 0, 0, 0, false),
            new("channels.inclinometer.fitted", FieldType.Bool, 0, 0, 0, 0, false),
            new("channels.battery.fitted", FieldType.Bool, 0, 0, 0, 0, false),
            new("channels.battery.low_mv", FieldType.Int, 2500, 15000, 2500, 15000, false),
            new("river.observation_start_mm", FieldType.Int, 0, 50000, 0, 1799, true),
            new("river.standby_mm", FieldType.Int, 0, 50000, 1201, 2399, true),
            new("river.caution_mm", FieldType.Int, 0, 50000, 1801, 2999, true),
            new("river.evacuation_mm", FieldType.Int, 0, 50000, 2401, 3499, true),
            new("river.danger_mm", FieldType.Int, 0, 50000, 3001, 50000, true),
            new("river.hysteresis_mm", FieldType.Int, 0, 1000, 0, 1000, false),
            new("cadence.base_s", FieldType.Int, 120, 600, 300, 600, false, Cadence: true),
            new("cadence.rise_trigger_mm_per_10min", FieldType.Int, 0, 5000, 0, 5000, false),
            new("cadence.trial_periods", FieldType.Int, 1, 100, 1, 100, false),
            new("transport.primary", FieldType.Name, 0, 0, 0, 0, false, new[] { "lora", "wifi" }),
            new("transport.lora.region", FieldType.Name, 0, 0, 0, 0, false, new[] { "AS923-1" }),
            new("transport.lora.fair_use_s_per_day", FieldType.Int, 1, 86400, 1, 86400, false),
            new("transport.cellular.apn", FieldType.Text, 1, 63, 1, 63, true), // required: cellular is a failover
            new("transport.mqtt.host", FieldType.Text, 1, 253, 1, 253, true),
            new("transport.mqtt.port", FieldType.Int, 1, 65535, 1, 65535, false),
            new("transport.mqtt.tls", FieldType.Bool, 0, 0, 0, 0, false),
            new("uplink.max_at_risk", FieldType.Int, 1, 10000, 1, 10000, false),
            new("keys.key_id", FieldType.Int, 1, 255, 1, 255, false),
        };

        private static readonly string[] Objects =
            { "", "site", "channels", "channels.ultrasonic", "channels.battery", "river", "cadence", "transport", "transport.lora", "transport.mqtt", "uplink", "keys" };

        private static readonly string[] Levels =
            { "river.observation_start_mm", "river.standby_mm", "river.caution_mm", "river.evacuation_mm", "river.danger_mm" };

        private enum Expect { Valid, Invalid, Syntax }

        private sealed record Mutation(string Document, Expect Expect, string Path, string What, string? CheckPath = null, JsonNode? CheckValue = null);

        [Fact]
        public void Thousand_mutated_documents_are_rejected_with_the_field_path_or_accepted_and_the_last_good_config_stays_in_force()
        {
            var rng = new Random(20261121);
            var blobs = new InMemoryDurableBlobs();
            var manager = new ConfigManager(blobs);
            var baseErrors = new ConfigErrors();
            Assert.True(manager.Propose(ConfigDocs.Example, baseErrors), baseErrors.ToString());
            var counts = new SortedDictionary<string, int>();
            int accepted = 0, rejected = 0;

            for (var i = 0; i < 1000; i++)
            {
                var m = Mutate(rng);
                counts[m.What] = counts.GetValueOrDefault(m.What) + 1;
                var before = manager.ActiveJson();
                var generation = manager.Generation;
                var errors = new ConfigErrors();
                var ok = manager.Propose(m.Document, errors);
                var context = $"#{i} {m.What} {m.Path}: {errors}\n{m.Document}";

                if (m.Expect == Expect.Valid)
                {
                    Assert.True(ok, "valid mutation rejected " + context);
                    accepted++;
                    if (m.CheckPath != null)
                    {
                        var active = JsonNode.Parse(manager.ActiveJson())!;
                        Assert.True(JsonNode.DeepEquals(Navigate(active, m.CheckPath), m.CheckValue), $"{m.CheckPath} not in force: " + context);
                    }

                    manager.ReportUplinkSuccess(); // confirm, so the next rejection must keep this one
                    Assert.False(manager.IsTrial);
                    continue;
                }

                Assert.False(ok, "invalid mutation accepted " + context);
                rejected++;
                Assert.True(errors.Count > 0);
                Assert.Equal(before, manager.ActiveJson());
                Assert.Equal(generation, manager.Generation);
                Assert.False(manager.IsTrial);

                var list = Enumerable.Range(0, errors.Count).Select(k => errors[k]).ToList();
                if (m.Expect == Expect.Syntax)
                {
                    Assert.True(list.Count == 1 && list[0].Kind == ConfigErrorKind.Syntax, "expected one syntax error " + context);
                    Assert.Contains("at character", list[0].Reason);
                }
                else
                {
                    Assert.True(list.Any(e => e.Path == m.Path || e.Path.StartsWith(m.Path + "[") || e.Path.StartsWith(m.Path + ".") || e.Reason.Contains(m.Path)),
                        "no error names the mutated field " + context);
                }
            }

            // A reboot keeps the last good configuration.
            var last = manager.ActiveJson();
            Assert.Equal(last, new ConfigManager(blobs).ActiveJson());

            _output.WriteLine($"config fuzz: 1000 documents, {rejected} rejected with field paths, {accepted} accepted");
            foreach (var kv in counts)
            {
                _output.WriteLine($"  {kv.Key}: {kv.Value}");
            }

            Assert.True(accepted > 100 && rejected > 600, $"mix of outcomes: {accepted} accepted, {rejected} rejected");
        }

        private static Mutation Mutate(Random rng)
        {
            var root = JsonNode.Parse(ConfigDocs.Example)!;
            var field = Fields[rng.Next(Fields.Length)];
            switch (rng.Next(12))
            {
                case 0: // wrong type
                {
                    JsonNode?[] wrong = field.Type switch
                    {
                        FieldType.Int or FieldType.Number => new JsonNode?[] { JsonValue.Create("12"), JsonValue.Create(true), new JsonArray(), new JsonObject(), null },
                        FieldType.Bool => new JsonNode?[] { JsonValue.Create("true"), JsonValue.Create(1), new JsonArray(), null },
                        _ => new JsonNode?[] { JsonValue.Create(7), JsonValue.Create(false), new JsonArray(JsonValue.Create("lora")), new JsonObject(), null },
                    };
                    Set(root, field.Path, wrong[rng.Next(wrong.Length)]);
                    return new Mutation(root.ToJsonString(), Expect.Invalid, field.Path, "wrong type");
                }

                case 1: // out of range
                {
                    if (field.Type is FieldType.Int or FieldType.Number)
                    {
                        var span = Math.Max(1, (field.Max - field.Min) / 10);
                        var value = rng.Next(2) == 0 ? field.Min - 1 - Math.Floor(rng.NextDouble() * span) : field.Max + 1 + Math.Floor(rng.NextDouble() * span);
                        Set(root, field.Path, JsonValue.Create((long)value));
                        return new Mutation(root.ToJsonString(), Expect.Invalid, field.Path, "out of range");
                    }

                    if (field.Type == FieldType.Text)
                    {
                        Set(root, field.Path, JsonValue.Create(new string('x', (int)field.Max + 1 + rng.Next(100))));
                        return new Mutation(root.ToJsonString(), Expect.Invalid, field.Path, "string too long");
                    }

                    Set(root, field.Path, JsonValue.Create("not-" + rng.Next(1000)));
                    return new Mutation(root.ToJsonString(), Expect.Invalid, field.Path, "unknown name");
                }

                case 2: // huge numbers
                {
                    var huge = new[] { "1e300", "-1e308", "99999999999999999999999", "9223372036854775807", "-9223372036854775808", "1.7976931348623157e308", "4294967296" };
                    var numeric = Fields.Where(f => f.Type is FieldType.Int or FieldType.Number && f.Max < 1e9).ToArray();
                    var target = numeric[rng.Next(numeric.Length)];
                    Set(root, target.Path, JsonNode.Parse(huge[rng.Next(huge.Length)]));
                    return new Mutation(root.ToJsonString(), Expect.Invalid, target.Path, "huge number");
                }

                case 3: // required field deleted
                {
                    var required = Fields.Where(f => f.Required).ToArray();
                    var target = required[rng.Next(required.Length)];
                    Remove(root, target.Path);
                    return new Mutation(root.ToJsonString(), Expect.Invalid, target.Path, "required deleted");
                }

                case 4: // optional field deleted: the default applies, still valid
                {
                    var optional = Fields.Where(f => !f.Required).ToArray();
                    var target = optional[rng.Next(optional.Length)];
                    Remove(root, target.Path);
                    return new Mutation(root.ToJsonString(), Expect.Valid, target.Path, "optional deleted");
                }

                case 5: // unknown field
                {
                    var parent = Objects[rng.Next(Objects.Length)];
                    var name = "extra_" + rng.Next(100000);
                    var obj = (JsonObject)(parent.Length == 0 ? root : Navigate(root, parent)!);
                    obj[name] = rng.Next(2) == 0 ? JsonValue.Create(1) : JsonValue.Create("x");
                    return new Mutation(root.ToJsonString(), Expect.Invalid, parent.Length == 0 ? name : parent + "." + name, "unknown field");
                }

                case 6: // broken syntax
                {
                    var text = root.ToJsonString();
                    switch (rng.Next(4))
                    {
                        case 0:
                            text = text.Substring(0, rng.Next(0, text.Length - 1));
                            break;
                        case 1:
                        {
                            var closers = Enumerable.Range(0, text.Length).Where(k => text[k] is '}' or ']' && text[k - 1] is not '{' and not '[').ToArray();
                            var at = closers[rng.Next(closers.Length)];
                            text = text.Insert(at, ",");
                            break;
                        }

                        case 2:
                        {
                            var colons = Enumerable.Range(0, text.Length).Where(k => text[k] == ':' && text[k - 1] == '"').ToArray();
                            var at = colons[rng.Next(colons.Length)];
                            text = text.Substring(0, at) + "=" + text.Substring(at + 1);
                            break;
                        }

                        default:
                        {
                            var numeric = Fields.Where(f => f.Type == FieldType.Int).ToArray();
                            var target = numeric[rng.Next(numeric.Length)];
                            text = root.ToJsonString().Replace("\"" + target.Path.Split('.').Last() + "\":", "\"" + target.Path.Split('.').Last() + "\":0", StringComparison.Ordinal);
                            break;
                        }
                    }

                    return new Mutation(text, Expect.Syntax, "", "broken syntax");
                }

                case 7: // deep nesting inside a field
                {
                    var depth = 17 + rng.Next(200);
                    var text = root.ToJsonString();
                    var target = Fields[rng.Next(Fields.Length)];
                    Set(root, target.Path, JsonValue.Create("__NEST__"));
                    text = root.ToJsonString().Replace("\"__NEST__\"", new string('[', depth) + new string(']', depth), StringComparison.Ordinal);
                    return new Mutation(text, Expect.Invalid, target.Path, "deep nesting");
                }

                case 8: // levels not strictly increasing
                {
                    var k = rng.Next(Levels.Length);
                    var current = (int)Navigate(root, Levels[k])!;
                    int value;
                    if (k > 0 && (k == Levels.Length - 1 || rng.Next(2) == 0))
                    {
                        var previous = (int)Navigate(root, Levels[k - 1])!;
                        value = previous - rng.Next(0, 500); // equal or below the level under it
                    }
                    else
                    {
                        var next = (int)Navigate(root, Levels[k + 1])!;
                        value = next + rng.Next(0, 500); // equal or above the level over it
                    }

                    Set(root, Levels[k], JsonValue.Create(Math.Max(0, value)));
                    return new Mutation(root.ToJsonString(), Expect.Invalid, Levels[k], "levels not increasing");
                }

                case 9: // cadence above the MLIT maximum
                {
                    var path = rng.Next(2) == 0 ? "cadence.base_s" : "cadence.above_observation_s";
                    Set(root, path, JsonValue.Create(601 + rng.Next(5000)));
                    return new Mutation(root.ToJsonString(), Expect.Invalid, path, "cadence above MLIT");
                }

                default: // a valid value in range
                {
                    JsonNode? value;
                    switch (field.Type)
                    {
                        case FieldType.Int:
                            var v = (long)field.ValidMin + rng.NextInt64((long)(field.ValidMax - field.ValidMin) + 1);
                            if (field.Odd && v % 2 == 0)
                            {
                                v = v == (long)field.ValidMax ? v - 1 : v + 1;
                            }

                            value = JsonValue.Create(v);
                            break;
                        case FieldType.Number:
                            value = JsonValue.Create(Math.Round(field.ValidMin + (rng.NextDouble() * (field.ValidMax - field.ValidMin)), 6));
                            break;
                        case FieldType.Bool:
                            value = JsonValue.Create(rng.Next(2) == 0);
                            break;
                        case FieldType.Name:
                            value = JsonValue.Create(field.Names![rng.Next(field.Names.Length)]);
                            break;
                        default:
                            const string chars = "abcdefghijklmnopqrstuvwxyz0123456789-_";
                            var n = (int)field.ValidMin + rng.Next((int)(field.ValidMax - field.ValidMin) + 1);
                            value = JsonValue.Create(new string(Enumerable.Range(0, n).Select(_ => chars[rng.Next(chars.Length)]).ToArray()));
                            break;
                    }

                    Set(root, field.Path, value);
                    return new Mutation(root.ToJsonString(), Expect.Valid, field.Path, "valid value", field.Path, value?.DeepClone());
                }
            }
        }

        private static JsonNode? Navigate(JsonNode root, string path)
        {
            JsonNode? node = root;
            foreach (var part in path.Split('.'))
            {
                node = node![part];
            }

            return node;
        }

        private static void Set(JsonNode root, string path, JsonNode? value)
        {
            var parts = path.Split('.');
            var parent = (JsonObject)(parts.Length == 1 ? root : Navigate(root, string.Join('.', parts[..^1]))!);
            parent[parts[^1]] = value;
        }

        private static void Remove(JsonNode root, string path)
        {
            var parts = path.Split('.');
            var parent = (JsonObject)(parts.Length == 1 ? root : Navigate(root, string.Join('.', parts[..^1]))!);
            Assert.True(parent.Remove(parts[^1]), "field to delete exists: " + path);
        }
    }
}
