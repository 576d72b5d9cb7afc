#!/usr/bin/env node
// Independent check of an MCAP file with the official TypeScript reader (@mcap/core), used by
// tests/RealtimeSeg.Recording.Tests. Test-time only: never a run-time dependency of the product.
//
//   node check.js indexed FILE   McapIndexedReader: summary, every chunk's CRC, every message read in log-time
//                                order, counts per channel, the first message of each protobuf channel decoded
//                                with protobufjs against the channel's schema (as Foxglove does).
//   node check.js stream FILE    McapStreamReader record by record: counts, and whether the file ended cleanly or
//                                where it stopped (a truncated file is reported, not an error).
//
// Prints one JSON object on stdout. Exit code 0 when the reader accepted the file (a truncated file in stream mode
// included), 1 when it threw (the JSON then has "error"), 2 on bad usage. Timestamps are strings (uint64 ns).
"use strict";

const fs = require("fs");
const zlib = require("zlib");
const { McapIndexedReader, McapStreamReader } = require("@mcap/core");
const { FileHandleReadable } = require("@mcap/nodejs");
const { loadDecompressHandlers, protobufFromBinaryDescriptor } = require("@mcap/support");

const textDecoder = new TextDecoder();

function decodeSample(schema, data) {
  if (schema == undefined || schema.encoding !== "protobuf") {
    return undefined;
  }
  const root = protobufFromBinaryDescriptor(schema.data);
  const type = root.lookupType(schema.name);
  const decoded = type.toObject(type.decode(data), { longs: String, enums: String, bytes: String, defaults: true });
  return replaceLongBytes(decoded);
}

// Image bytes as their length: the test needs to know they arrived, not to read 40 KB of base64.
function replaceLongBytes(value) {
  if (Array.isArray(value)) return value.map(replaceLongBytes);
  if (value != null && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = typeof v === "string" && k === "data" ? { base64Length: v.length, byteLength: Buffer.from(v, "base64").length } : replaceLongBytes(v);
    }
    return out;
  }
  return value;
}

// Reads the Chunk record at the index's offset by hand and checks its CRC with zlib's crc32 after decompressing it
// with @mcap/support's decompressors: a second opinion next to readMessages' own validation.
async function checkChunk(readable, chunkIndex, handlers) {
  const bytes = await readable.read(chunkIndex.chunkStartOffset, chunkIndex.chunkLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== 0x06) throw new Error(`chunk index points at opcode ${view.getUint8(0)}`);
  let p = 9;
  p += 16; // message_start_time, message_end_time
  const uncompressedSize = view.getBigUint64(p, true); p += 8;
  const crc = view.getUint32(p, true); p += 4;
  const nameLength = view.getUint32(p, true); p += 4;
  const compression = textDecoder.decode(bytes.subarray(p, p + nameLength)); p += nameLength;
  const recordsLength = Number(view.getBigUint64(p, true)); p += 8;
  let records = bytes.subarray(p, p + recordsLength);
  if (compression !== "") records = handlers[compression](records, uncompressedSize);
  const actual = zlib.crc32(records) >>> 0;
  return { offset: String(chunkIndex.chunkStartOffset), compression, crc, actual, ok: crc === 0 || crc === actual };
}

async function indexed(file) {
  const handlers = await loadDecompressHandlers();
  const handle = await fs.promises.open(file, "r");
  try {
    const readable = new FileHandleReadable(handle);
    const reader = await McapIndexedReader.Initialize({ readable, decompressHandlers: handlers });
    const chunks = [];
    for (const chunkIndex of reader.chunkIndexes) chunks.push(await checkChunk(readable, chunkIndex, handlers));
    const counts = new Map();
    const samples = {};
    let messages = 0;
    let ordered = true;
    let last = -1n;
    for await (const message of reader.readMessages({ validateCrcs: true })) {
      messages++;
      counts.set(message.channelId, (counts.get(message.channelId) ?? 0) + 1);
      if (message.logTime < last) ordered = false;
      last = message.logTime;
      const channel = reader.channelsById.get(message.channelId);
      if (samples[channel.topic] === undefined) {
        samples[channel.topic] = decodeSample(reader.schemasById.get(channel.schemaId), message.data) ?? null;
      }
    }
    const stats = reader.statistics;
    return {
      mode: "indexed",
      file,
      header: { profile: reader.header.profile, library: reader.header.library },
      dataSectionCrc: reader.dataSectionCrc ?? 0,
      channels: [...reader.channelsById.values()].map((c) => {
        const schema = reader.schemasById.get(c.schemaId);
        return {
          id: c.id,
          topic: c.topic,
          messageEncoding: c.messageEncoding,
          schemaName: schema?.name ?? "",
          schemaEncoding: schema?.encoding ?? "",
          statisticsCount: stats?.channelMessageCounts.has(c.id) ? String(stats.channelMessageCounts.get(c.id)) : null,
          readCount: counts.get(c.id) ?? 0,
        };
      }),
      statistics: stats && {
        messageCount: String(stats.messageCount),
        schemaCount: stats.schemaCount,
        channelCount: stats.channelCount,
        chunkCount: stats.chunkCount,
        messageStartTime: String(stats.messageStartTime),
        messageEndTime: String(stats.messageEndTime),
      },
      chunks: { count: chunks.length, crcMismatches: chunks.filter((c) => !c.ok) },
      messagesRead: messages,
      logTimeOrdered: ordered,
      samples,
    };
  } finally {
    await handle.close();
  }
}

async function stream(file) {
  const handlers = await loadDecompressHandlers();
  const reader = new McapStreamReader({ decompressHandlers: handlers, validateCrcs: true });
  const bytes = fs.readFileSync(file);
  const types = {};
  const topics = new Map();
  const perTopic = {};
  let lastLogTime = null;
  let lastPublishTime = null;
  let error = null;
  // Appended in pieces, as a live stream would arrive.
  try {
    for (let at = 0; at < bytes.length; at += 65536) {
      reader.append(bytes.subarray(at, Math.min(bytes.length, at + 65536)));
      for (let record; (record = reader.nextRecord()); ) {
        types[record.type] = (types[record.type] ?? 0) + 1;
        if (record.type === "Channel") topics.set(record.id, record.topic);
        if (record.type === "Message") {
          const topic = topics.get(record.channelId);
          perTopic[topic] = (perTopic[topic] ?? 0) + 1;
          if (lastLogTime === null || record.logTime > lastLogTime) lastLogTime = record.logTime;
          if (lastPublishTime === null || record.publishTime > lastPublishTime) lastPublishTime = record.publishTime;
        }
      }
    }
  } catch (e) {
    error = String(e?.message ?? e);
  }
  const remaining = reader.bytesRemaining();
  return {
    mode: "stream",
    file,
    fileLength: bytes.length,
    ended: error ? "error" : reader.done() ? "clean" : "truncated",
    stoppedAt: bytes.length - remaining,
    unparsedBytes: remaining,
    records: types,
    messages: types.Message ?? 0,
    messagesByTopic: perTopic,
    lastLogTime: lastLogTime === null ? null : String(lastLogTime),
    lastPublishTime: lastPublishTime === null ? null : String(lastPublishTime),
    error,
  };
}

async function main() {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== "indexed" && mode !== "stream") || !file) {
    process.stderr.write("usage: node check.js indexed|stream FILE\n");
    process.exit(2);
  }
  try {
    const result = mode === "indexed" ? await indexed(file) : await stream(file);
    process.stdout.write(JSON.stringify(result) + "\n");
    process.exit(result.error ? 1 : 0);
  } catch (e) {
    process.stdout.write(JSON.stringify({ mode, file, error: String(e?.message ?? e) }) + "\n");
    process.exit(1);
  }
}

main();
