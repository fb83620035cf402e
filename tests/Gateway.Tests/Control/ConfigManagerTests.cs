using System;
using System.Collections.Generic;
using Gateway.Control;
using Gateway.Control.Config;
using Xunit;

namespace Gateway.Tests.Control
{
    public class ConfigManagerTests
    {
        private static string Canonical(string json)
        {
            var c = new GatewayConfig();
            var errors = new ConfigErrors();
            Assert.True(ConfigParser.TryParse(json, c, errors), errors.ToString());
            return ConfigWriter.ToJson(c);
        }

        private static string Doc(string site, int trialPeriods = 3) =>
            "{\"schema\":1,\"site\":{\"id\":\"" + site + "\",\"kind\":\"snow\"},\"cadence\":{\"trial_periods\":" + trialPeriods + "}}";

        private static ConfigManager Configured(InMemoryDurableBlobs blobs, string json)
        {
            var m = new ConfigManager(blobs);
            Assert.True(m.Propose(json, new ConfigErrors()));
            return m;
        }

        [Fact]
        public void A_new_gateway_runs_unconfigured_on_defaults_and_its_first_config_is_good_at_once()
        {
            var blobs = new InMemoryDurableBlobs();
            var m = new ConfigManager(blobs);
            Assert.False(m.HasConfig);
            Assert.Null(m.LastGood);
            Assert.Equal(ConfigWriter.ToJson(new GatewayConfig()), m.ActiveJson());

            Assert.True(m.Propose(Doc("a"), new ConfigErrors()));
            Assert.True(m.HasConfig);
            Assert.False(m.IsTrial);
            Assert.Equal(Canonical(Doc("a")), new ConfigManager(blobs).ActiveJson());
        }

        [Fact]
        public void Trial_config_is_in_force_at_once_and_confirmed_by_an_uplink_success()
        {
            var blobs = new InMemoryDurableBlobs();
            var m = Configured(blobs, Doc("a"));
            var changes = new List<(string Site, bool Trial)>();
            m.Changed += (active, trial) => changes.Add((active.SiteId, trial));

            Assert.True(m.Propose(Doc("b"), new ConfigErrors()));
            Assert.True(m.IsTrial);
            Assert.Equal("b", m.Active.SiteId);
            Assert.Equal("a", m.LastGood.SiteId);

            m.OnSamplingPeriodElapsed();
            m.ReportUplinkSuccess();
            Assert.False(m.IsTrial);
            Assert.Equal("b", m.LastGood.SiteId);
            Assert.Equal(new[] { ("b", true), ("b", false) }, changes);

            // Confirmed: periods no longer count, nothing reverts.
            for (var i = 0; i < 10; i++)
            {
                Assert.False(m.OnSamplingPeriodElapsed());
            }

            Assert.Equal("b", new ConfigManager(blobs).Active.SiteId);
            Assert.Equal(0, m.RevertCount);
        }

        [Fact]
        public void Trial_without_uplink_success_is_reverted_after_the_good_configs_number_of_periods()
        {
            var blobs = new InMemoryDurableBlobs();
            var m = Configured(blobs, Doc("a", trialPeriods: 3));
            Assert.True(m.Propose(Doc("b", trialPeriods: 100), new ConfigErrors())); // the trial cannot extend its own leash

            Assert.False(m.OnSamplingPeriodElapsed());
            Assert.False(m.OnSamplingPeriodElapsed());
            Assert.Equal("b", m.Active.SiteId);
            Assert.Equal(2, m.TrialPeriodsElapsed);
            Assert.True(m.OnSamplingPeriodElapsed());

            Assert.False(m.IsTrial);
            Assert.Equal("a", m.Active.SiteId);
            Assert.Equal(1, m.RevertCount);
            Assert.Contains("no successful uplink within 3 sampling periods", m.LastRevertReason);
            Assert.Equal(ConfigRevertCause.NoUplinkWithinPeriods, m.LastRevertCause);

            // A late uplink success confirms nothing any more.
            m.ReportUplinkSuccess();
            Assert.Equal("a", m.Active.SiteId);

            var rebooted = new ConfigManager(blobs);
            Assert.Equal("a", rebooted.Active.SiteId);
            Assert.Equal(1, rebooted.RevertCount);
            Assert.Equal(m.LastRevertReason, rebooted.LastRevertReason);
            Assert.Equal(ConfigRevertCause.NoUplinkWithinPeriods, rebooted.LastRevertCause);
        }

        [Fact]
        public void Period_count_survives_reboots_so_a_restarting_gateway_still_reverts()
        {
            var blobs = new InMemoryDurableBlobs();
            Configured(blobs, Doc("a", trialPeriods: 3)).Propose(Doc("b"), new ConfigErrors());

            // Deep sleep: every period is a fresh start.
            var m = new ConfigManager(blobs);
            Assert.False(m.OnSamplingPeriodElapsed());
            m = new ConfigManager(blobs);
            Assert.False(m.OnSamplingPeriodElapsed());
            m = new ConfigManager(blobs);
            Assert.Equal(2, m.TrialPeriodsElapsed);
            Assert.True(m.OnSamplingPeriodElapsed());
            Assert.Equal("a", new ConfigManager(blobs).Active.SiteId);
        }

        [Fact]
        public void A_trial_that_makes_the_gateway_reset_before_any_period_ends_is_reverted_by_start_count()
        {
            var blobs = new InMemoryDurableBlobs();
            Configured(blobs, Doc("a", trialPeriods: 2)).Propose(Doc("crashy"), new ConfigErrors());
            Assert.Equal("crashy", new ConfigManager(blobs).Active.SiteId); // start 1
            Assert.Equal("crashy", new ConfigManager(blobs).Active.SiteId); // start 2
            var m = new ConfigManager(blobs);                                  // start 3 > 2
            Assert.Equal("a", m.Active.SiteId);
            Assert.Contains("reset loop", m.LastRevertReason);
            Assert.Equal(ConfigRevertCause.ResetLoop, new ConfigManager(blobs).LastRevertCause);
        }

        [Fact]
        public void Invalid_proposal_changes_nothing_in_memory_or_in_flash()
        {
            var blobs = new InMemoryDurableBlobs();
            var m = Configured(blobs, Doc("a"));
            var writes = blobs.Writes;
            var errors = new ConfigErrors();
            Assert.False(m.Propose("{\"schema\":1,\"site\":{\"id\":\"b\",\"kind\":\"snow\"},\"cadence\":{\"base_s\":900}}", errors));
            Assert.True(errors.HasPath("cadence.base_s"));
            Assert.Equal("a", m.Active.SiteId);
            Assert.Equal(writes, blobs.Writes);
        }

        [Fact]
        public void Proposing_the_good_config_again_clears_a_running_trial()
        {
            var m = Configured(new InMemoryDurableBlobs(), Doc("a"));
            m.Propose(Doc("b"), new ConfigErrors());
            Assert.True(m.IsTrial);
            Assert.True(m.Propose(Doc("a"), new ConfigErrors()));
            Assert.False(m.IsTrial);
            Assert.Equal("a", m.Active.SiteId);
        }

        [Fact]
        public void Unreadable_or_invalid_state_blob_leaves_the_gateway_unconfigured_and_says_why()
        {
            var blobs = new InMemoryDurableBlobs();
            blobs.Corrupt(ConfigManager.BlobName, new byte[] { 0x7B, 0x22, 0xFF, 0x00 });
            var m = new ConfigManager(blobs);
            Assert.False(m.HasConfig);
            Assert.Contains("unreadable", m.LastEvent);

            blobs.Corrupt(ConfigManager.BlobName, System.Text.Encoding.UTF8.GetBytes("{\"good\":{\"schema\":9}}"));
            m = new ConfigManager(blobs);
            Assert.False(m.HasConfig);
            Assert.Contains("invalid", m.LastEvent);
        }

        [Fact]
        public void A_write_that_fails_leaves_memory_and_flash_at_the_state_before_the_step()
        {
            var inner = new InMemoryDurableBlobs();
            var blobs = new FailingBlobs(inner);
            var m = new ConfigManager(blobs);
            Assert.True(m.Propose(Doc("a"), new ConfigErrors()));
            Assert.True(m.Propose(Doc("b"), new ConfigErrors()));

            blobs.FailNextWrite = true;
            Assert.Throws<System.IO.IOException>(() => m.ReportUplinkSuccess());
            Assert.True(m.IsTrial);
            Assert.Equal("a", m.LastGood.SiteId);
            Assert.True(new ConfigManager(inner).IsTrial);

            blobs.FailNextWrite = true;
            Assert.Throws<System.IO.IOException>(() => m.Propose(Doc("c"), new ConfigErrors()));
            Assert.Equal("b", m.Active.SiteId);
        }

        /// <summary>
        /// A seeded random sequence of steps (valid and invalid proposals, periods, uplink successes) with the
        /// gateway rebooted after EVERY step: the manager re-created from flash must always match a reference model
        /// of the transaction rules, which also counts the reboots towards the reset-loop limit.
        /// </summary>
        [Fact]
        public void Reboot_after_every_step_keeps_the_state_consistent_with_the_model()
        {
            var rng = new Random(4242);
            var docs = new[] { Doc("a", 2), Doc("b", 3), Doc("c", 4), Doc("d", 3) };
            var blobs = new InMemoryDurableBlobs();
            var m = new ConfigManager(blobs);

            // Model
            string? good = null, trial = null;
            int goodLimit = 0, periods = 0, starts = 0, reverts = 0;
            int Limit(string doc) => doc == docs[0] ? 2 : doc == docs[1] ? 3 : doc == docs[2] ? 4 : 3;

            for (var step = 0; step < 1000; step++)
            {
                var op = rng.Next(10);
                if (op < 3)
                {
                    var doc = docs[rng.Next(docs.Length)];
                    Assert.True(m.Propose(doc, new ConfigErrors()));
                    if (good == null)
                    {
                        good = doc;
                        goodLimit = Limit(doc);
                        trial = null;
                    }
                    else
                    {
                        trial = doc == good ? null : doc;
                    }

                    periods = 0;
                    starts = 0;
                }
                else if (op == 3)
                {
                    Assert.False(m.Propose("{\"schema\":1,\"site\":{\"id\":\"x\",\"kind\":\"snow\"},\"cadence\":{\"trial_periods\":0}}", new ConfigErrors()));
                }
                else if (op < 8)
                {
                    var reverted = m.OnSamplingPeriodElapsed();
                    var expectRevert = false;
                    if (trial != null)
                    {
                        periods++;
                        if (periods >= goodLimit)
                        {
                            trial = null;
                            periods = 0;
                            starts = 0;
                            reverts++;
                            expectRevert = true;
                        }
                    }

                    Assert.Equal(expectRevert, reverted);
                }
                else
                {
                    m.ReportUplinkSuccess();
                    if (trial != null)
                    {
                        good = trial;
                        goodLimit = Limit(trial);
                        trial = null;
                        periods = 0;
                        starts = 0;
                    }
                }

                // Reboot.
                m = new ConfigManager(blobs);
                if (trial != null)
                {
                    starts++;
                    if (starts > goodLimit)
                    {
                        trial = null;
                        periods = 0;
                        starts = 0;
                        reverts++;
                    }
                }

                var context = $"step {step} op {op}";
                Assert.True(good != null == m.HasConfig, context);
                Assert.True(trial != null == m.IsTrial, context);
                if (good != null)
                {
                    Assert.True(Canonical(good) == ConfigWriter.ToJson(m.LastGood), context);
                    Assert.True(Canonical(trial ?? good) == m.ActiveJson(), context);
                }

                Assert.True(periods == m.TrialPeriodsElapsed, context);
                Assert.True(starts == m.TrialStarts, context);
                Assert.True(reverts == m.RevertCount, context);
            }

            Assert.True(reverts > 10, "the sequence exercised reverts: " + reverts);
        }

        [Fact]
        public void The_state_blob_is_the_canonical_json_of_the_state_object()
        {
            // Save writes the state member by member (one configuration tree alive at a time, for the device's
            // heap); the bytes must stay those of JsonWriter on the whole state object.
            var blobs = new InMemoryDurableBlobs();
            var m = Configured(blobs, Doc("a", trialPeriods: 1));
            Assert.Equal(Expected(m), blobs.Text(ConfigManager.BlobName));
            Assert.True(m.Propose(Doc("b"), new ConfigErrors()));
            Assert.True(m.OnSamplingPeriodElapsed());
            Assert.True(m.Propose("{\"schema\":1,\"site\":{\"id\":\"c\",\"name\":\"加茂川 \\\"三条\\\"\",\"kind\":\"snow\",\"lat\":35.0094,\"lon\":135.7714}}", new ConfigErrors()));
            Assert.True(m.IsTrial);
            Assert.NotEqual("", m.LastRevertReason);
            Assert.Equal(Expected(m), blobs.Text(ConfigManager.BlobName));

            static string Expected(ConfigManager m)
            {
                var state = new System.Collections.Hashtable
                {
                    ["format"] = 1L,
                    ["good"] = m.LastGood != null ? ConfigWriter.ToTree(m.LastGood) : Gateway.Control.Json.JsonNull.Value,
                    ["trial"] = m.IsTrial ? ConfigWriter.ToTree(m.Active) : Gateway.Control.Json.JsonNull.Value,
                    ["reverts"] = (long)m.RevertCount,
                    ["revert_reason"] = m.LastRevertReason,
                    ["revert_cause"] = (long)m.LastRevertCause,
                    ["generation"] = m.Generation,
                };
                return Gateway.Control.Json.JsonWriter.Write(state);
            }
        }

        private sealed class FailingBlobs : IDurableBlobs
        {
            private readonly IDurableBlobs _inner;

            public FailingBlobs(IDurableBlobs inner) => _inner = inner;

            public bool FailNextWrite { get; set; }

            public bool TryRead(string name, out byte[] data) => _inner.TryRead(name, out data);

            public void WriteAtomic(string name, byte[] data)
            {
                if (FailNextWrite)
                {
                    FailNextWrite = false;
                    throw new System.IO.IOException("flash write failed");
                }

                _inner.WriteAtomic(name, data);
            }
        }
    }
}
