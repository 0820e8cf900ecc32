// Makes a study's last download hold 1 000 000 answers: the export and report a real
// practice study downloaded are read, and written again at that size in the same shapes
// (the same records, layout and columns), into the study's results folder. The app then
// opens it as it opens any earlier download (offline, from `<app data>/results/<study>/`).
//
// The shape is the consensus benchmark's (crates/engine/benches/consensus.rs): 100 000
// items × 10 people from a pool of 1 000, a choice question whose true answers are of
// unequal frequency, one person in ten answering at random. Deterministic.
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A small linear congruential generator, so every run writes the same study. */
function generator(seed) {
  let state = BigInt(seed);
  return (below) => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number((state >> 33n) % BigInt(below));
  };
}

/** A UUID-shaped id from a number (the practice server's ids are UUIDs). */
function uuid(kind, number) {
  const hex = number.toString(16).padStart(12, "0");
  return `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${hex}`;
}

/** The item with this id anywhere in the layout (pages, rows, columns, items). */
function findById(value, id) {
  if (Array.isArray(value)) {
    for (const entry of value) {
      const found = findById(entry, id);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    if (value.id === id) return value;
    return findById(Object.values(value), id);
  }
  return null;
}

/** Reads one member of a ZIP archive. */
function member(zip, name) {
  return execFileSync("unzip", ["-p", zip, name], { maxBuffer: 256 << 20, encoding: "utf8" });
}

/** A minimal RFC 4180 line splitter for the report's first rows (quoted cells allowed). */
function csvRows(text, limit) {
  const rows = [[]];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length && rows.length <= limit; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') (cell += '"'), (index += 1);
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") rows.at(-1).push(cell), (cell = "");
    else if (char === "\n") rows.at(-1).push(cell.replace(/\r$/, "")), rows.push([]), (cell = "");
    else cell += char;
  }
  return rows.filter((row) => row.length > 1);
}

const csvCell = (value) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Buffered writes to a file, flushed every few megabytes. */
function lineWriter(path) {
  const fd = openSync(path, "w");
  let chunk = [];
  let size = 0;
  const flush = () => {
    writeSync(fd, chunk.join(""));
    chunk = [];
    size = 0;
  };
  return {
    write(text) {
      chunk.push(text);
      size += text.length;
      if (size > 8 << 20) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

/**
 * Rewrites `folder` (a study's results folder holding a real download: `export.zip`,
 * `report.csv`) with `items` × `perItem` answers. Answers the number of answers written.
 */
export function makeLargeStudy(folder, { items = 100_000, perItem = 10, pool = 1_000 } = {}) {
  const exportZip = join(folder, "export.zip");
  const batch = JSON.parse(member(exportZip, "batch.json"));
  const firstTask = JSON.parse(member(exportZip, "responses-by-task.jsonl").split("\n")[0]);
  const template = firstTask.responses.find((record) => record.response?.type === "multiple_choice");
  if (!template) throw new Error("the practice study's export has no choice answer to copy");
  const question = template.response.instruction_id;
  const instruction = findById(batch.batch_items, question);
  const options = (instruction?.options ?? []).map((option) => option.value);
  if (options.length < 2) throw new Error(`the choice question ${question} has no options in batch.json`);

  const random = generator(7);
  const accuracy = Array.from({ length: pool }, (_, person) => (person % 10 === 0 ? 25 : 60 + random(38)));
  const weights = options.map((_, index) => options.length - index);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  // Each record is the template's, with its ids and answer replaced (placeholders, so a
  // million records are made by string joins, not a million JSON documents).
  const shape = JSON.stringify({
    ...template,
    task_id: "@TASK@",
    ...(template.correlation_id !== undefined && { correlation_id: "@TASK@" }),
    participant_id: "@PERSON@",
    submission_id: "@SUBMISSION@",
    ...(template.id !== undefined && { id: "@ID@" }),
    response: { ...template.response, answer: [{ value: "@ANSWER@" }] },
  });
  // [text, name, text, name, …, text]: the names are the placeholders, in order.
  const pieces = shape.split(/"@(TASK|PERSON|SUBMISSION|ID|ANSWER)@"/);

  const [header, ...sampleRows] = csvRows(readFileSync(join(folder, "report.csv"), "utf8"), 30);
  const dataColumns = header.slice(1, header.indexOf("participant_id"));
  const afterIds = header.indexOf("submission_id") + 1;
  const named = header.findIndex((name, index) => index >= afterIds && name.endsWith(` ${instruction.description}`));
  const questionColumn = named >= 0 ? named : afterIds;

  const work = mkdtempSync(join(tmpdir(), "batchdesk-bench-study-"));
  try {
    const byTask = lineWriter(join(work, "responses-by-task.jsonl"));
    const report = lineWriter(join(folder, "report.csv.new"));
    report.write(`${[header[0], ...dataColumns, "participant_id", "submission_id", header[questionColumn]].map(csvCell).join(",")}\n`);
    let written = 0;
    for (let item = 0; item < items; item += 1) {
      const task = uuid(1, item);
      let roll = random(totalWeight);
      const truth = weights.findIndex((weight) => (roll -= weight) < 0);
      const data = sampleRows[item % sampleRows.length].slice(1, 1 + dataColumns.length).map(csvCell).join(",");
      const first = random(pool);
      const records = [];
      for (let seat = 0; seat < perItem; seat += 1) {
        const person = (first + seat * 97) % pool;
        const right = random(100) < accuracy[person];
        const answer = options[right ? truth : random(options.length)];
        const values = {
          PERSON: uuid(2, person),
          SUBMISSION: uuid(3, person),
          ID: uuid(4, written),
          ANSWER: answer,
        };
        values.TASK = task;
        let record = pieces[0];
        for (let index = 1; index < pieces.length; index += 2) {
          record += JSON.stringify(values[pieces[index]]) + pieces[index + 1];
        }
        records.push(record);
        report.write(`${task},${data},${values.PERSON},${values.SUBMISSION},${csvCell(answer)}\n`);
        written += 1;
      }
      byTask.write(`{"task_id":"${task}","responses":[${records.join(",")}]}\n`);
    }
    byTask.close();
    report.close();
    batch.total_response_count = written;
    batch.total_task_count = items;
    const batchJson = lineWriter(join(work, "batch.json"));
    batchJson.write(JSON.stringify(batch, null, 2));
    batchJson.close();
    rmSync(exportZip);
    execFileSync("zip", ["-q", "-j", exportZip, join(work, "responses-by-task.jsonl"), join(work, "batch.json")]);
    execFileSync("mv", [join(folder, "report.csv.new"), join(folder, "report.csv")]);
    return written;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
