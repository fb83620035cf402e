/*
 * Gateway batch decoder (format versions 1 and 2, firmware/Gateway.Core/Codec/README.md) for LoRaWAN network servers.
 * Payload formatter convention of The Things Stack and ChirpStack: decodeUplink({ bytes, fPort }) returns
 * { data, warnings, errors }. It decodes structure only: the tag is reported (hex) but verified by the cloud,
 * which holds the device keys. Never throws: malformed input yields errors; every loop is bounded by the input.
 * Plain ES5 so it runs in goja (The Things Stack), QuickJS (ChirpStack) and node.
 */
var CHANNEL_NAMES = {
  1: "distance_mm", 2: "water_level_mm", 3: "snow_depth_mm", 4: "pressure_pa", 5: "tilt_x_mdeg",
  6: "tilt_y_mdeg", 7: "temperature_mdegc", 8: "battery_mv", 9: "supply_mv", 10: "air_pressure_pa"
};
var STATUS_NAMES = ["out_of_range", "no_echo", "loop_fault", "stuck", "spike_rejected", "noisy",
  "uncompensated", "time_unknown", "bus_error", "maintenance"];
var RICE_ESCAPE = 20, MAX_CHANNELS = 16, MAX_READINGS = 65535, ADAPT_RESET = 32;
var MAX_SAFE = 9007199254740991; // 2^53 - 1
var TWO32 = 4294967296;

function BatchError(message, truncated) { this.message = message; this.truncated = truncated; }

function pow2(k) { return Math.pow(2, k); }

function BitReader(bytes, start, end) {
  this.bytes = bytes; this.start = start; this.endBit = (end - start) * 8; this.bit = 0;
}
BitReader.prototype.read = function (count) {
  if (this.bit + count > this.endBit) { throw new BatchError("the bit stream ends too soon", true); }
  var v = 0;
  for (var i = 0; i < count; i++) {
    var b = this.bit++;
    v = v * 2 + ((this.bytes[this.start + (b >> 3)] >> (7 - (b & 7))) & 1);
  }
  return v;
};
BitReader.prototype.gamma = function () {
  var zeros = 0;
  while (this.read(1) === 0) {
    zeros++;
    if (zeros > 52) { throw new BatchError("gamma code longer than 53 bits", false); }
  }
  return pow2(zeros) + this.read(zeros);
};
BitReader.prototype.sgamma = function () { return unzigzag(this.gamma() - 1); };
BitReader.prototype.rice = function (k) {
  var q = 0;
  while (q < RICE_ESCAPE && this.read(1) === 1) { q++; }
  if (q < RICE_ESCAPE) {
    if (k > 35) { throw new BatchError("Rice parameter out of range", false); }
    return q * pow2(k) + this.read(k);
  }
  var length = this.read(6);
  if (length < 1 || length > 35) { throw new BatchError("Rice escape length out of range", false); }
  var value = this.read(length);
  if (value < pow2(length - 1)) { throw new BatchError("Rice escape value is not of its stated length", false); }
  return value;
};

function unzigzag(z) { return z % 2 === 0 ? z / 2 : -(z + 1) / 2; }

function riceParameter(sum, count) {
  var k = 0;
  while (count * pow2(k) < sum && k < 60) { k++; }
  return k;
}

function Adaptive(sum) { this.sum = sum; this.count = 1; }
Adaptive.prototype.k = function () { return riceParameter(this.sum, this.count); };
Adaptive.prototype.adapt = function (x) {
  this.sum += x; this.count++;
  if (this.count === ADAPT_RESET) { this.sum = Math.floor(this.sum / 2); this.count = this.count / 2; }
};

function hex(bytes, from, to) {
  var s = "";
  for (var i = from; i < to; i++) { s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
  return s;
}

function bitLength(v) { var n = 0; while (v > 0) { v = Math.floor(v / 2); n++; } return n; }

/* Version 2 (README §9): channel profiles, Exp-Golomb orders of one-value blocks, compact windows. */
var PROFILES = { 1: [[2, 4, 5, 6, 8], 5], 2: [[2], 1], 3: [[2, 30], 1], 4: [[3, 8], 2] };
var SEQUENCE_MODULUS = 1024, TIME_MODULUS = 16384, TIME_AHEAD_S = 600;

function firstValueOrder(id) {
  if (id >= 1 && id <= 3) { return 10; }
  return { 4: 13, 5: 8, 6: 8, 7: 15, 8: 12, 9: 12, 10: 17, 30: 20, 31: 3 }[id] || 8;
}

function mod(a, b) { return ((a % b) + b) % b; }

/** The sequence = low (mod 1024) nearest the chain's next sequence (README §9.3). */
function recoverSequence(low, next) {
  var s = next + mod(low - next + SEQUENCE_MODULUS / 2, SEQUENCE_MODULUS) - SEQUENCE_MODULUS / 2;
  return s < 0 ? s + SEQUENCE_MODULUS : s;
}

/** The seconds = low (mod 16384), the latest at most 600 s past the arrival (README §9.3). */
function recoverSeconds(low, receivedAtMs) {
  var latest = Math.floor(Math.max(0, receivedAtMs) / 1000) + TIME_AHEAD_S;
  return latest - mod(latest - low, TIME_MODULUS);
}

BitReader.prototype.delta = function () {
  var length = this.gamma() - 1;
  if (length > 53) { throw new BatchError("a number longer than 53 bits", false); }
  if (length <= 1) { return length; }
  return pow2(length - 1) + this.read(length - 1);
};

function headerV1(byte, varint) {
  var keyId = byte();
  var deviceId = varint(5), boot = varint(5), first = varint(5), count = varint(5);
  if (deviceId >= TWO32 || boot >= TWO32 || first >= TWO32 || count >= TWO32) {
    throw new BatchError("a 32-bit header field is out of range", false);
  }
  if (count < 1 || count > MAX_READINGS) { throw new BatchError("reading count " + count + " out of range 1.." + MAX_READINGS, false); }
  var link = byte() * 256 + byte();
  var baseTime = varint(8), period = varint(5);
  if (baseTime > MAX_SAFE) { throw new BatchError("base time out of range", false); }
  if (period >= TWO32) { throw new BatchError("period out of range", false); }
  var channelCount = byte();
  if (channelCount < 1 || channelCount > MAX_CHANNELS) { throw new BatchError("channel count " + channelCount + " out of range 1..16", false); }
  var channels = [];
  for (var c = 0; c < channelCount; c++) {
    var id = byte();
    if (channels.indexOf(id) >= 0) { throw new BatchError("a channel is listed twice", false); }
    channels.push(id);
  }
  var patternByte = byte();
  var m = patternByte & 0x3f;
  if (m < 1 || m > channelCount) { throw new BatchError("pattern length out of range", false); }
  return { keyId: keyId, deviceId: deviceId, boot: boot, first: first, count: count, link: link, baseTime: baseTime,
    period: period, channels: channels, m: m, timeBlock: (patternByte & 0x80) !== 0, ranged: (patternByte & 0x40) !== 0, compact: false };
}

function headerV2(r, context) {
  var keyId = r.read(1) === 1 ? 1 : r.read(8);
  var compact = r.read(1) === 1, first, baseTime, boot = 0;
  if (compact) {
    var low = r.read(10), seconds = r.read(14), ms = r.gamma() - 1;
    if (ms > 999) { throw new BatchError("compact time milliseconds out of range", false); }
    if (!context || typeof context.receivedAtMs !== "number" || !(context.receivedAtMs >= 0)) {
      throw new BatchError("a compact batch needs the receiver's chain state and the arrival time", false);
    }
    first = recoverSequence(low, context.nextSequence > 0 ? context.nextSequence : 0);
    baseTime = recoverSeconds(seconds, context.receivedAtMs) * 1000 + ms;
    if (first >= TWO32 || baseTime < 0) { throw new BatchError("compact sequence or time out of range", false); }
  } else {
    first = r.delta(); baseTime = r.delta(); boot = r.delta();
    if (first >= TWO32 || boot >= TWO32) { throw new BatchError("a 32-bit header field is out of range", false); }
  }
  var link = r.read(16), channels, m, c;
  if (r.read(1) === 1) {
    var profile = PROFILES[r.gamma()];
    if (!profile) { throw new BatchError("unknown channel profile", false); }
    channels = profile[0].slice(); m = profile[1];
  } else {
    var channelCount = r.read(4) + 1;
    channels = [];
    for (c = 0; c < channelCount; c++) {
      var id = r.read(8);
      if (channels.indexOf(id) >= 0) { throw new BatchError("a channel is listed twice", false); }
      channels.push(id);
    }
    m = r.read(4) + 1;
    if (m > channelCount) { throw new BatchError("pattern length out of range", false); }
  }
  var count = m + r.sgamma();
  if (count < 1 || count > MAX_READINGS) { throw new BatchError("reading count " + count + " out of range 1.." + MAX_READINGS, false); }
  var period = 0, timeBlock = false, ranged = false;
  if (count > m) { period = r.delta(); timeBlock = r.read(1) === 1; ranged = r.read(1) === 1; }
  if (baseTime > MAX_SAFE) { throw new BatchError("base time out of range", false); }
  if (period >= TWO32) { throw new BatchError("period out of range", false); }
  return { keyId: keyId, deviceId: context && context.deviceId ? context.deviceId : 0, boot: boot, first: first, count: count,
    link: link, baseTime: baseTime, period: period, channels: channels, m: m, timeBlock: timeBlock, ranged: ranged, compact: compact };
}

/**
 * Decodes one batch; throws BatchError on invalid input (decodeUplink catches it). Version 2 takes what the receiver
 * knows: context = { deviceId, nextSequence, receivedAtMs } (README §9.3).
 */
function decodeBatch(bytes, context) {
  var p = 0;
  function byte() {
    if (p >= bytes.length) { throw new BatchError("the header ends too soon", true); }
    var b = bytes[p++];
    if (typeof b !== "number" || b < 0 || b > 255 || b !== Math.floor(b)) { throw new BatchError("input is not bytes", false); }
    return b;
  }
  function varint(maxBytes) {
    var v = 0, scale = 1;
    for (var i = 0; i < maxBytes; i++) {
      var b = byte();
      v += (b & 0x7f) * scale; scale *= 128;
      if ((b & 0x80) === 0) { return v; }
    }
    throw new BatchError("varint too long", false);
  }
  var b0 = byte();
  var version = b0 >> 4;
  if (version !== 1 && version !== 2) { throw new BatchError("unsupported version " + version, false); }
  var tagCode = b0 & 15;
  if (tagCode < 1 || tagCode > 7) { throw new BatchError("tag length code " + tagCode + " not allowed", false); }
  var tagLength = 4 * (tagCode + 1);
  var bodyEnd = bytes.length - tagLength;
  var h, r;
  if (version === 1) {
    h = headerV1(byte, varint);
    if (bodyEnd < p) { throw new BatchError("the batch ends before its tag", true); }
    r = new BitReader(bytes, p, bodyEnd);
  } else {
    if (bodyEnd < p) { throw new BatchError("the batch ends before its tag", true); }
    r = new BitReader(bytes, p, bodyEnd);
    h = headerV2(r, context);
  }
  var keyId = h.keyId, deviceId = h.deviceId, boot = h.boot, first = h.first, count = h.count, link = h.link;
  var baseTime = h.baseTime, period = h.period, channels = h.channels, channelCount = channels.length, m = h.m;
  var timeBlock = h.timeBlock, ranged = h.ranged, c;

  var n = count, j, e;
  var channel = new Array(n), status = new Array(n), seq = new Array(n), time = new Array(n);
  for (j = 0; j < n; j++) { channel[j] = j % m; status[j] = 0; }
  var exceptions = r.gamma() - 1;
  if (exceptions > 8 * bytes.length) { throw new BatchError("more exceptions than the batch can hold", false); }
  var kinds = [], index = [], pa = [], pb = [];
  var last = 0, bitsForChannel = bitLength(channelCount - 1);
  for (e = 0; e < exceptions; e++) {
    var at = last + r.gamma() - 1;
    if (at >= n) { throw new BatchError("an exception names a reading past the batch", false); }
    last = at;
    var kind = r.read(3);
    kinds.push(kind); index.push(at);
    var a = 0, b = 0;
    if (kind === 0) { a = r.read(16); }
    else if (kind === 1) { a = r.gamma(); if (at === 0) { throw new BatchError("a gap before the first reading", false); } }
    else if (kind === 2) { a = r.sgamma(); }
    else if (kind === 3) {
      if (timeBlock) { throw new BatchError("a cadence exception in a batch with a time block", false); }
      a = r.gamma() - 1;
      if (a >= TWO32) { throw new BatchError("cadence period out of range", false); }
      b = r.sgamma();
    }
    else if (kind === 4) {
      a = r.read(bitsForChannel);
      if (a >= channelCount) { throw new BatchError("channel exception names no listed channel", false); }
    }
    else { throw new BatchError("reserved exception kind " + kind, false); }
    pa.push(a); pb.push(b);
  }
  var rd = null;
  if (ranged) {
    while ((r.bit & 7) !== 0) { if (r.read(1) !== 0) { throw new BatchError("padding bits are not zero", false); } }
    rd = new RangeDecoder(bytes, p + r.bit / 8, bodyEnd);
  }
  var cycleOffsets = timeBlock ? (rd ? decodeRanged(rd, Math.ceil(n / m)) : decodeValues(r, Math.ceil(n / m))) : null;
  var baseT = baseTime, per = period, baseCycle = 0, ex = 0, s = first;
  for (j = 0; j < n; j++) {
    var cycle = Math.floor(j / m);
    if (j > 0) { s++; }
    var t = timeBlock ? baseT + cycle * per + cycleOffsets[cycle] : baseT + (cycle - baseCycle) * per;
    var cycleTime = t;
    while (ex < exceptions && index[ex] === j) {
      var k = kinds[ex];
      if (k === 0) { status[j] = pa[ex]; }
      else if (k === 1) { s += pa[ex]; }
      else if (k === 2) { t = (timeBlock ? cycleTime : baseT + (cycle - baseCycle) * per) + pa[ex]; }
      else if (k === 3) {
        baseT = baseT + (cycle - baseCycle) * per + pb[ex]; baseCycle = cycle; per = pa[ex]; t = baseT;
        if (baseT < 0 || baseT > MAX_SAFE) { throw new BatchError("time out of range", false); }
      }
      else if (k === 4) { channel[j] = pa[ex]; }
      ex++;
    }
    if (t < 0 || t > MAX_SAFE) { throw new BatchError("time out of range", false); }
    if (s >= TWO32) { throw new BatchError("sequence past 2^32", false); }
    seq[j] = s; time[j] = t;
  }
  var values = new Array(n);
  for (c = 0; c < channelCount; c++) { decodeBlock(r, rd, c, channel, values, version === 2 ? firstValueOrder(channels[c]) : -1); }
  while ((r.bit & 7) !== 0) { if (r.read(1) !== 0) { throw new BatchError("padding bits are not zero", false); } }
  if (rd ? rd.position !== bodyEnd : p + r.bit / 8 !== bodyEnd) { throw new BatchError("bytes left over between the bit stream and the tag", false); }

  var readings = [];
  for (j = 0; j < n; j++) {
    var cid = channels[channel[j]];
    var flags = [];
    for (var f = 0; f < STATUS_NAMES.length; f++) { if (status[j] & (1 << f)) { flags.push(STATUS_NAMES[f]); } }
    readings.push({
      sequence: seq[j], channel: CHANNEL_NAMES[cid] || ("channel_" + cid), channelId: cid, timeMs: time[j],
      time: (status[j] & 0x80) ? null : isoTime(time[j]), value: values[j], status: status[j], flags: flags
    });
  }
  return {
    version: version, keyId: keyId, deviceId: deviceId, bootCounter: boot, firstSequence: first,
    lastSequence: seq[n - 1], link: hex([link >> 8, link & 255], 0, 2), baseTimeMs: baseTime, periodMs: period,
    channels: channels.map(function (id) { return CHANNEL_NAMES[id] || ("channel_" + id); }), patternLength: m,
    compact: h.compact, exceptionCount: exceptions, timeBlock: timeBlock, rangeCoded: ranged, tag: hex(bytes, bodyEnd, bytes.length), authenticatedLength: bodyEnd,
    readings: readings
  };
}

function isoTime(ms) {
  var d = new Date(ms);
  return isNaN(d.getTime()) ? null : d.toISOString();
}

function decodeBlock(r, rd, c, channel, values, order) {
  var count = 0, j, decoded, i = 0;
  for (j = 0; j < channel.length; j++) { if (channel[j] === c) { count++; } }
  if (count === 0) { return; }
  if (!rd && count === 1 && order >= 0) {
    var q = r.gamma() - 1;
    if (q > pow2(33 - order)) { throw new BatchError("value out of the 32-bit range", false); }
    var v = unzigzag(q * pow2(order) + r.read(order));
    if (v < -2147483648 || v > 2147483647) { throw new BatchError("value out of the 32-bit range", false); }
    decoded = [v];
  } else {
    decoded = rd ? decodeRanged(rd, count) : decodeValues(r, count);
  }
  for (j = 0; j < channel.length; j++) { if (channel[j] === c) { values[j] = decoded[i++]; } }
}

/** Decodes one block of count (at least 1) values, each in the 32-bit range. */
function decodeValues(r, count) {
  var values = new Array(count);
  var predictor = r.read(2), mode = r.read(1), reference = 0;
  if (predictor !== 0) {
    reference = r.sgamma();
    if (reference < -2147483648 || reference > 2147483647) { throw new BatchError("block reference out of range", false); }
  }
  var divisor = r.gamma();
  if (divisor >= TWO32) { throw new BatchError("block divisor out of range", false); }
  var k0 = r.read(5);
  var start = k0 === 0 ? 0 : pow2(k0);
  var rice = new Adaptive(start), runs = new Adaptive(start), nonzero = new Adaptive(0);
  var pendingZeros = 0, expectValue = false, prev = reference, prev2 = reference;
  for (var index = 0; index < count; index++) {
    var x;
    if (mode === 0) {
      x = r.rice(rice.k()); rice.adapt(x);
    } else {
      if (pendingZeros === 0 && !expectValue) {
        pendingZeros = r.rice(runs.k()); runs.adapt(pendingZeros);
        if (pendingZeros > count - index) { throw new BatchError("a zero run runs past the block", false); }
        expectValue = true;
      }
      if (pendingZeros > 0) { pendingZeros--; x = 0; }
      else { x = r.rice(nonzero.k()) + 1; nonzero.adapt(x - 1); expectValue = false; }
    }
    if (x > 34359738368) { throw new BatchError("residual out of range", false); }
    var residual = unzigzag(x);
    if (Math.abs(residual) > Math.floor(34359738368 / divisor)) { throw new BatchError("residual out of range", false); }
    var prediction = predictor === 0 ? 0 : predictor === 1 ? prev : predictor === 2 ? (index < 2 ? prev : 2 * prev - prev2) : reference;
    var v = prediction + residual * divisor;
    if (v < -2147483648 || v > 2147483647) { throw new BatchError("value out of the 32-bit range", false); }
    prev2 = prev; prev = v; values[index] = v;
  }
  return values;
}

/* Range-coded block section: the LZMA range coder (11-bit probabilities, shift 5) without its zero first byte. */
function RangeDecoder(bytes, start, end) {
  this.bytes = bytes; this.position = start; this.end = end; this.range = 4294967295; this.code = 0;
  for (var i = 0; i < 4; i++) { this.code = this.code * 256 + this.next(); }
}
RangeDecoder.prototype.next = function () {
  if (this.position >= this.end) { throw new BatchError("the range-coded section ends too soon", true); }
  return this.bytes[this.position++];
};
RangeDecoder.prototype.normalize = function () {
  while (this.range < 16777216) { this.range = this.range * 256; this.code = this.code * 256 + this.next(); }
};
RangeDecoder.prototype.bit = function (probs, index) {
  var p = probs[index], bound = Math.floor(this.range / 2048) * p, bit;
  if (this.code < bound) { this.range = bound; probs[index] = p + ((2048 - p) >> 5); bit = 0; }
  else { this.code -= bound; this.range -= bound; probs[index] = p - (p >> 5); bit = 1; }
  this.normalize();
  return bit;
};
RangeDecoder.prototype.direct = function (count) {
  var v = 0;
  for (var i = 0; i < count; i++) {
    this.range = Math.floor(this.range / 2);
    var bit = 0;
    if (this.code >= this.range) { this.code -= this.range; bit = 1; }
    v = v * 2 + bit;
    this.normalize();
  }
  return v;
};
RangeDecoder.prototype.gamma = function () {
  var zeros = 0;
  while (this.direct(1) === 0) {
    zeros++;
    if (zeros > 52) { throw new BatchError("gamma code longer than 53 bits", false); }
  }
  return pow2(zeros) + this.direct(zeros);
};

function bucketContext(previous) { return previous === 0 ? 0 : previous <= 2 ? 1 : previous <= 4 ? 2 : 3; }

/** Decodes one range-coded block of count (at least 1) values. */
function decodeRanged(rd, count) {
  var values = new Array(count);
  var predictor = rd.direct(2), reference = 0;
  if (predictor !== 0) {
    reference = unzigzag(rd.gamma() - 1);
    if (reference < -2147483648 || reference > 2147483647) { throw new BatchError("block reference out of range", false); }
  }
  var divisor = rd.gamma();
  if (divisor >= TWO32) { throw new BatchError("block divisor out of range", false); }
  var models = new Array(83);
  for (var i = 0; i < 83; i++) { models[i] = 1024; }
  var prev = reference, prev2 = reference, previousBucket = 0, signContext = 0;
  for (var index = 0; index < count; index++) {
    var unary = bucketContext(previousBucket) * 16, b = 0;
    while (b < 36 && rd.bit(models, unary + Math.min(b, 15)) === 1) { b++; }
    if (b > 35) { throw new BatchError("residual out of range", false); }
    var a = 0;
    if (b >= 1) {
      a = 1;
      if (b >= 2) {
        a = a * 2 + rd.bit(models, 64 + Math.min(b, 15));
        if (b >= 3) { a = a * pow2(b - 2) + rd.direct(b - 2); }
      }
    }
    var residual = a;
    if (a !== 0) {
      var negative = rd.bit(models, 80 + signContext) === 1;
      residual = negative ? -a : a;
      signContext = negative ? 2 : 1;
    } else { signContext = 0; }
    previousBucket = b;
    if (Math.abs(residual) > Math.floor(34359738368 / divisor)) { throw new BatchError("residual out of range", false); }
    var prediction = predictor === 0 ? 0 : predictor === 1 ? prev : predictor === 2 ? (index < 2 ? prev : 2 * prev - prev2) : reference;
    var v = prediction + residual * divisor;
    if (v < -2147483648 || v > 2147483647) { throw new BatchError("value out of the 32-bit range", false); }
    prev2 = prev; prev = v; values[index] = v;
  }
  return values;
}

/* LoRaWAN ports (firmware/Gateway.Core/Codec/README.md §5.1, firmware/Gateway.Control/Commissioning): whole
 * batches on 1, DR2 fragments of a batch on 2, commissioning records on 5, their fragments on 6. */
var BATCH_PORT = 1, FRAGMENT_PORT = 2, COMMISSIONING_PORT = 5, COMMISSIONING_FRAGMENT_PORT = 6;

/**
 * The answer for an uplink on a port other than the batch port, or null for the batch port (and for a call without a
 * port, as older network servers make). Every other port gets an answer: a fragment described, a commissioning
 * record reported, an unknown port named.
 */
function decodePort(fPort, bytes) {
  if (fPort === undefined || fPort === null || fPort === BATCH_PORT) { return null; }
  if (fPort === FRAGMENT_PORT) { return decodeFragment(bytes, "batch"); }
  if (fPort === COMMISSIONING_FRAGMENT_PORT) { return decodeFragment(bytes, "commissioning record"); }
  if (fPort === COMMISSIONING_PORT) {
    if (!isBytes(bytes) || bytes.length === 0) { return { errors: ["malformed: input is not bytes"], warnings: [] }; }
    return {
      data: { commissioning: { length: bytes.length, payload: hex(bytes, 0, bytes.length) } },
      warnings: ["a commissioning record: the cloud verifies and reads it"],
      errors: []
    };
  }
  return { errors: ["fPort " + fPort + " carries no Gateway payload (batches on 1, fragments on 2, commissioning on 5 and 6)"], warnings: [] };
}

function isBytes(bytes) {
  for (var i = 0; i < bytes.length; i++) {
    var b = bytes[i];
    if (typeof b !== "number" || b < 0 || b > 255 || b !== Math.floor(b)) { return false; }
  }
  return true;
}

/**
 * A DR2 fragment (fPort 2, or 6 for a commissioning record): index and count reported, the bytes as is; the cloud
 * reassembles the whole (fragments of one batch go in consecutive frames) and verifies it.
 */
function decodeFragment(bytes, of) {
  if (bytes.length < 2 || bytes.length > 11) { return { errors: ["malformed: a fragment has 2..11 bytes"], warnings: [] }; }
  for (var i = 0; i < bytes.length; i++) {
    var b = bytes[i];
    if (typeof b !== "number" || b < 0 || b > 255 || b !== Math.floor(b)) { return { errors: ["malformed: input is not bytes"], warnings: [] }; }
  }
  var index = bytes[0] >> 4, count = (bytes[0] & 15) + 1;
  if (index >= count) { return { errors: ["malformed: fragment index " + index + " of " + count], warnings: [] }; }
  if (index < count - 1 && bytes.length !== 11) { return { errors: ["malformed: only the last fragment may be short"], warnings: [] }; }
  return {
    data: { fragment: { of: of || "batch", index: index, count: count, last: index === count - 1, payload: hex(bytes, 1, bytes.length) } },
    warnings: ["fragment " + (index + 1) + " of " + count + " of a " + (of || "batch") + ": the cloud reassembles and verifies it"],
    errors: []
  };
}

/** The Things Stack / ChirpStack uplink payload formatter entry point. */
function decodeUplink(input) {
  var bytes = input && input.bytes;
  if (!bytes || typeof bytes.length !== "number") {
    return { errors: ["no bytes given"], warnings: [] };
  }
  var byPort = decodePort(input.fPort, bytes);
  if (byPort) { return byPort; }
  try {
    var vars = input.variables || {};
    var at = input.recvTime ? new Date(input.recvTime).getTime() : -1;
    var data = decodeBatch(bytes, { deviceId: Number(vars.deviceId) || 0, nextSequence: Number(vars.nextSequence) || 0, receivedAtMs: at });
    var warnings = ["the tag " + data.tag + " is verified by the cloud, not here: readings are unauthenticated until then"];
    var flagged = 0;
    for (var i = 0; i < data.readings.length; i++) { if (data.readings[i].status !== 0) { flagged++; } }
    if (flagged > 0) { warnings.push(flagged + " reading(s) carry quality flags"); }
    if (data.compact && !vars.nextSequence) {
      warnings.push("compact batch: sequences recovered against next sequence 0 (no device variable nextSequence); the cloud recovers them from its chain");
    }
    return { data: data, warnings: warnings, errors: [] };
  } catch (err) {
    if (err instanceof BatchError) {
      return { errors: [(err.truncated ? "truncated: " : "malformed: ") + err.message], warnings: [] };
    }
    return { errors: ["malformed: " + String(err && err.message ? err.message : err)], warnings: [] };
  }
}

if (typeof module !== "undefined" && module.exports) {
  module.exports = { decodeUplink: decodeUplink, decodeBatch: decodeBatch, BatchError: BatchError };
}
