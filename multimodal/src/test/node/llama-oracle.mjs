// llama.cpp as the engine's oracle: reads one JSON request per line on stdin, answers one JSON
// line on stdout. Requests:
//   {"op":"tokenize","model":PATH,"text":S,"special":BOOL}      -> {"tokens":[...]}
//   {"op":"greedy","model":PATH,"tokens":[...],"n":N}           -> {"tokens":[...]}
//   {"op":"bench","model":PATH,"prompt":N,"decode":N,"threads":T} -> {"prefill_tps":X,"decode_tps":Y}
import {getLlama, LlamaLogLevel} from "node-llama-cpp";
import readline from "node:readline";

const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error});
const models = new Map();

async function model(path) {
  if (!models.has(path)) {
    models.set(path, await llama.loadModel({modelPath: path, useMmap: true}));
  }
  return models.get(path);
}

async function greedy(path, tokens, n, threads) {
  const m = await model(path);
  // flash attention off: llama.cpp would otherwise pick it on its own ("auto"), and its CPU kernel
  // accumulates the values in half precision, which the engine does not reproduce
  const ctx = await m.createContext({contextSize: Math.max(64, tokens.length + n + 8), threads: threads ?? 2,
    batchSize: Math.max(32, tokens.length), flashAttention: false});
  try {
    const seq = ctx.getSequence();
    const out = [];
    for await (const t of seq.evaluate(tokens, {temperature: 0})) {
      out.push(t);
      if (out.length >= n || m.isEogToken(t)) break;
    }
    return out;
  } finally {
    await ctx.dispose();
  }
}

async function handle(req) {
  switch (req.op) {
    case "ping":
      return {ok: true};
    case "tokenize": {
      const m = await model(req.model);
      return {tokens: Array.from(m.tokenize(req.text, req.special ?? false))};
    }
    case "greedy":
      return {tokens: await greedy(req.model, req.tokens, req.n, req.threads)};
    case "bench": {
      const m = await model(req.model);
      const prompt = Array.from({length: req.prompt}, (_, i) => 1 + (i * 7) % 50);
      // the same warm-up as the engine's (LlmBenchCommand): 8 prompt tokens and 8 decoded, in a
      // context of its own, so first-use costs stay out of the measured run on both sides
      const warm = await m.createContext({contextSize: 32, threads: req.threads ?? 2, batchSize: 8});
      try {
        let n = 0;
        for await (const t of warm.getSequence().evaluate([1, 2, 3, 4, 5, 6, 7, 8], {temperature: 0})) {
          if (++n > 8) break;
        }
      } finally {
        await warm.dispose();
      }
      const ctx = await m.createContext({contextSize: req.prompt + req.decode + 8, threads: req.threads ?? 2,
        batchSize: req.prompt});
      try {
        const seq = ctx.getSequence();
        const t0 = performance.now();
        let first = 0, count = 0;
        for await (const t of seq.evaluate(prompt, {temperature: 0})) {
          if (count === 0) first = performance.now();
          count++;
          if (count > req.decode) break;
        }
        const end = performance.now();
        // the first generated token comes out of the prefill; the rest are decode steps
        return {prefill_tps: req.prompt / ((first - t0) / 1000), decode_tps: (count - 1) / ((end - first) / 1000)};
      } finally {
        await ctx.dispose();
      }
    }
    default:
      throw new Error("unknown op " + req.op);
  }
}

const rl = readline.createInterface({input: process.stdin});
for await (const line of rl) {
  if (!line.trim()) continue;
  let reply;
  try {
    reply = await handle(JSON.parse(line));
  } catch (e) {
    reply = {error: String(e && e.message || e)};
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
process.exit(0);
