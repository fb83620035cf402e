using System;
using System.Collections.Concurrent;
using System.Linq;
using Gateway.Bindings.Sim7080;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Cellular
{
    /// <summary>
    /// What the modem does while the host deep-sleeps (bindings/Sim7080/Sim7080.Power.cs and
    /// <see cref="Sim7080Transport.Suspend"/>): switched off for a long sleep, registered through a short one, and
    /// switched on at once by the next wake's driver from the state kept across the sleep.
    /// </summary>
    public sealed class Sim7080SleepTests
    {
        private const long LongSleepMs = 5 * 60_000;
        private const long ShortSleepMs = 60_000;

        [Fact]
        public void A_long_sleep_switches_the_modem_off_and_the_next_wake_presses_the_power_key_at_once()
        {
            using var rig = new Sim7080Rig(seed: 41);
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);

            rig.Transport.Suspend(LongSleepMs);
            Assert.False(rig.Modem.PoweredOn);
            Assert.Contains("AT+CPOWD=1", rig.Modem.Commands);
            Assert.True(rig.Driver.IsPoweredDown);
            Assert.False(rig.Transport.IsAvailable);
            var state = new byte[Sim7080Transport.BackoffStateSize];
            Assert.Equal(Sim7080Transport.BackoffStateSize, rig.Transport.SaveBackoff(state, 0));
            Assert.Equal(1, state[12]);

            // Deep sleep: RAM is lost, uptime restarts; a new driver learns from the kept state that the modem is off.
            rig.Clock.Reboot(keepWallTime: true);
            rig.Clock.Advance(LongSleepMs);
            var driver = new Sim7080(rig.Line, rig.Clock, rig.Settings, rig.PowerKey);
            var transport = new Sim7080Transport(driver, rig.Clock);
            Assert.True(transport.RestoreBackoff(state, 0, state.Length));
            int presses = rig.Modem.PowerKeyPresses;
            long start = rig.Clock.UptimeMs;
            Assert.True(transport.EnsureReady(), "after the sleep: " + transport.LastStatus);

            Assert.Equal(presses + 1, rig.Modem.PowerKeyPresses);
            Assert.Equal(1, driver.PowerOns);
            Assert.Equal(0, driver.PowerCycles);
            Assert.Equal(0, driver.CommandTimeouts); // no "AT" left unanswered before the press
            Assert.True(rig.Modem.PoweredOn);
            Assert.Equal(2, rig.Modem.Attaches);
            Assert.InRange(rig.Clock.UptimeMs - start, 1, 60_000);
        }

        [Fact]
        public void A_short_sleep_keeps_the_modem_registered_with_the_mqtt_session_closed()
        {
            using var rig = new Sim7080Rig(seed: 42);
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);

            rig.Transport.Suspend(ShortSleepMs);
            Assert.True(rig.Modem.PoweredOn);
            Assert.DoesNotContain("AT+CPOWD=1", rig.Modem.Commands);
            Assert.True(Sim7080Rig.WaitReal(() => !rig.Modem.MqttConnected));
            var state = new byte[Sim7080Transport.BackoffStateSize];
            rig.Transport.SaveBackoff(state, 0);
            Assert.Equal(0, state[12]);

            // The next wake adopts the registered modem: no new attach.
            Assert.True(rig.Transport.EnsureReady(), "after the sleep: " + rig.Transport.LastStatus);
            Assert.Equal(1, rig.Modem.Attaches);
        }

        [Fact]
        public void The_power_down_threshold_is_a_setting_and_zero_never_switches_the_modem_off()
        {
            using var rig = new Sim7080Rig(seed: 43, tune: s => s.PowerDownSleepMs = 0);
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);
            rig.Transport.Suspend(24L * 3600 * 1000);
            Assert.True(rig.Modem.PoweredOn);
        }

        [Fact]
        public void A_modem_already_off_is_not_sent_anything_at_the_next_sleep()
        {
            using var rig = new Sim7080Rig(seed: 44);
            Assert.True(rig.Transport.EnsureReady());
            rig.Transport.Suspend(LongSleepMs);
            int commands = rig.Modem.Commands.Count;
            long uptime = rig.Clock.UptimeMs;

            rig.Transport.Suspend(LongSleepMs); // a quiet wake that sent nothing
            Assert.Equal(commands, rig.Modem.Commands.Count);
            Assert.Equal(uptime, rig.Clock.UptimeMs);
        }

        [Fact]
        public void A_stale_off_flag_for_a_modem_that_is_on_still_ends_in_a_session()
        {
            using var rig = new Sim7080Rig(seed: 45);
            Assert.True(rig.Transport.EnsureReady());
            var state = new byte[Sim7080Transport.BackoffStateSize];
            rig.Transport.SaveBackoff(state, 0);
            state[12] = 1; // says off, but the modem runs on

            rig.Clock.Reboot(keepWallTime: true);
            var driver = new Sim7080(rig.Line, rig.Clock, rig.Settings, rig.PowerKey);
            var transport = new Sim7080Transport(driver, rig.Clock);
            Assert.True(transport.RestoreBackoff(state, 0, state.Length));
            Assert.True(transport.EnsureReady(), "stale flag: " + transport.LastStatus);
            Assert.True(rig.Modem.PoweredOn);
            Assert.True(driver.IsMqttConnected);
        }

        [Fact]
        public void A_modem_that_never_confirms_the_power_down_is_switched_on_by_the_next_bring_up()
        {
            using var rig = new Sim7080Rig(seed: 46);
            Assert.True(rig.Transport.EnsureReady());
            rig.Modem.Hang(); // no answer to AT+CPOWD=1, no "NORMAL POWER DOWN"

            rig.Transport.Suspend(LongSleepMs);
            Assert.True(rig.Driver.IsPoweredDown);
            Assert.True(rig.Transport.EnsureReady(), "after a hung power-down: " + rig.Transport.LastStatus);
            Assert.True(rig.Modem.PoweredOn);
            Assert.False(rig.Modem.Hung);
        }

        [Fact]
        public void The_state_written_before_the_flags_byte_is_still_read_and_unknown_flags_are_refused()
        {
            using var rig = new Sim7080Rig(seed: 47);
            var state = new byte[Sim7080Transport.BackoffStateSize];
            rig.Transport.SaveBackoff(state, 0);
            Assert.True(rig.Transport.RestoreBackoff(state, 0, Sim7080Transport.BackoffStateSizeWithoutFlags));
            Assert.False(rig.Driver.IsPoweredDown);

            state[12] = 0x82;
            Assert.False(rig.Transport.RestoreBackoff(state, 0, state.Length));
            Assert.False(rig.Driver.IsPoweredDown);
        }
    }
}
