// Writes foxglove/<Name>.proto for the named schemas and everything they reference, using the generator that
// @foxglove/schemas publishes (the same one that produces Foxglove's own .proto files).
"use strict";
const fs = require("fs");
const path = require("path");
const [pkg, outDir, ...roots] = process.argv.slice(2);
const { generateProto } = require(path.join(pkg, "dist/internal/generateProto.js"));
const { foxgloveMessageSchemas, foxgloveEnumSchemas } = require(path.join(pkg, "dist/internal/schemas.js"));

const pending = [...roots];
const done = new Set();
fs.mkdirSync(path.join(outDir, "foxglove"), { recursive: true });
while (pending.length > 0) {
  const name = pending.pop();
  if (done.has(name)) continue;
  done.add(name);
  const schema = foxgloveMessageSchemas[name];
  if (schema == undefined) throw new Error(`no foxglove schema ${name}`);
  if (schema.protoEquivalent != undefined) continue; // e.g. google.protobuf.Timestamp comes with protoc
  const enums = Object.values(foxgloveEnumSchemas).filter((e) => e.parentSchemaName === name);
  fs.writeFileSync(path.join(outDir, "foxglove", `${name}.proto`), generateProto(schema, enums));
  for (const field of schema.fields) {
    if (field.type.type === "nested") pending.push(field.type.schema.name);
  }
}
