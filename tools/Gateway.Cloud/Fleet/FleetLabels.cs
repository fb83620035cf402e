using System;
using System.Collections.Generic;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Fleet
{
    /// <summary>The fleet page's words in English and Japanese (<c>?lang=en|ja</c>; the browser's language otherwise).</summary>
    public sealed class FleetLabels
    {
        private static readonly Dictionary<string, (string En, string Ja)> Words = new(StringComparer.Ordinal)
        {
            ["title"] = ("Gateway fleet", "観測局一覧"),
            ["gateway"] = ("Gateway", "観測局"),
            ["gateways"] = ("Gateways", "観測局"),
            ["alarms"] = ("Alarms", "警報"),
            ["latest_alarms"] = ("Latest alarms", "最新の警報"),
            ["all_alarms"] = ("All alarms", "すべての警報"),
            ["last_seen"] = ("Last seen (UTC)", "最終受信 (UTC)"),
            ["last_measured"] = ("Newest reading (UTC)", "最新観測 (UTC)"),
            ["battery"] = ("Battery", "電池"),
            ["signal"] = ("Signal (commissioning)", "電波 (設置時)"),
            ["cadence"] = ("Cadence", "観測間隔"),
            ["open_alarms"] = ("Open alarms", "発令中の警報"),
            ["chain"] = ("Chain integrity", "データ連鎖"),
            ["log"] = ("Log integrity", "ログ検証"),
            ["status"] = ("Status", "状態"),
            ["stale"] = ("STALE: alive report missed", "応答なし: 定時報なし"),
            ["late"] = ("late", "遅延"),
            ["ok"] = ("ok", "正常"),
            ["intact"] = ("intact", "正常"),
            ["forged"] = ("forged refused", "改ざん拒否"),
            ["conflicts"] = ("conflicts", "不一致"),
            ["none"] = ("none", "なし"),
            ["readings"] = ("Readings stored", "保存済みデータ数"),
            ["time"] = ("Time (UTC)", "時刻 (UTC)"),
            ["received"] = ("Received (UTC)", "受信 (UTC)"),
            ["event"] = ("Event", "種別"),
            ["value"] = ("Value", "値"),
            ["state"] = ("State", "状態"),
            ["open"] = ("OPEN", "発令中"),
            ["cleared"] = ("cleared", "解除"),
            ["raised"] = ("raised", "発令"),
            ["commissioning"] = ("Commissioning record", "設置記録"),
            ["no_commissioning"] = ("No commissioning record received.", "設置記録は受信していません。"),
            ["passed"] = ("passed", "合格"),
            ["failed"] = ("FAILED", "不合格"),
            ["download"] = ("Download", "ダウンロード"),
            ["timeline"] = ("Timeline", "時系列"),
            ["no_gateways"] = ("No gateway has sent anything yet.", "まだ受信したデータはありません。"),
            ["no_alarms"] = ("No alarm received.", "警報はありません。"),
            ["updated"] = ("As of", "更新"),
            ["refresh"] = ("refreshes every", "自動更新"),
            ["seconds"] = ("s", "秒"),
            ["fleet"] = ("Fleet", "一覧"),
            ["mode_quiet"] = ("quiet", "平常"),
            ["mode_observing"] = ("observing", "観測"),
            ["mode_rapid"] = ("rapid", "高頻度"),
            ["mode_unknown"] = ("—", "—"),
            ["log_batches"] = ("batches logged", "バッチ記録済み"),
            ["chart_note"] = ("Alarm levels are drawn where the gateway raised each alarm (the cloud does not hold its thresholds). Grey: no readings; orange: readings that arrived late (link or cloud outage).",
                "警戒水位の線は観測局が警報を出した時の値です (閾値そのものはクラウドにありません)。灰色: データなし、橙色: 遅れて届いたデータ (通信または受信の障害)。"),
            ["alarm_note"] = ("Newest first. A level alarm stays open until the gateway clears that level; a rate alarm until the rate falls back.",
                "新しい順。水位警報は観測局が解除するまで、上昇率の警報は率が下がるまで発令中です。"),
        };

        private FleetLabels(bool japanese) => Japanese = japanese;

        /// <summary>English.</summary>
        public static FleetLabels En { get; } = new(false);

        /// <summary>Japanese.</summary>
        public static FleetLabels Ja { get; } = new(true);

        /// <summary>True for Japanese.</summary>
        public bool Japanese { get; }

        /// <summary>The language code ("en" or "ja").</summary>
        public string Code => Japanese ? "ja" : "en";

        /// <summary>Picks the language: <c>?lang=</c> first, then the browser's Accept-Language, English otherwise.</summary>
        public static FleetLabels Pick(string? lang, string? acceptLanguage)
        {
            if (lang is not null)
            {
                return lang.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;
            }

            return acceptLanguage is not null && acceptLanguage.TrimStart().StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;
        }

        /// <summary>The word for a key.</summary>
        public string this[string key] => Words.TryGetValue(key, out var w) ? (Japanese ? w.Ja : w.En) : key;

        /// <summary>The name of a named river level.</summary>
        public string Level(AlarmLevel level) => level switch
        {
            AlarmLevel.Standby => Japanese ? "水防団待機水位" : "standby level",
            AlarmLevel.Caution => Japanese ? "はん濫注意水位" : "caution level",
            AlarmLevel.EvacuationDecision => Japanese ? "避難判断水位" : "evacuation decision level",
            AlarmLevel.Danger => Japanese ? "はん濫危険水位" : "flood danger level",
            _ => "—",
        };

        /// <summary>The name of an alarm event.</summary>
        public string Alarm(AlarmEntry a) => a.Kind switch
        {
            EventKind.AlarmRaised => Level(a.Level),
            EventKind.AlarmCleared => (Japanese ? "解除: " : "cleared: ") + Level(a.Level),
            EventKind.RateOfRise => Japanese ? "水位急上昇" : "rapid rise",
            EventKind.SnowfallRate => Japanese ? "大雪 (降雪強度)" : "heavy snowfall",
            EventKind.TiltChange => Japanese ? "傾斜変化" : "tilt change",
            EventKind.TiltRateHourly => Japanese ? "傾斜速度 (時間)" : "tilt rate (hourly)",
            EventKind.TiltRateDaily => Japanese ? "傾斜速度 (日)" : "tilt rate (daily)",
            EventKind.RateCleared => Japanese ? "解除: 変化率" : "cleared: rate",
            _ => a.Kind.ToString(),
        };

        /// <summary>The name of a cadence mode.</summary>
        public string Mode(CadenceModeSeen mode) => this["mode_" + mode.ToString().ToLowerInvariant()];
    }
}
