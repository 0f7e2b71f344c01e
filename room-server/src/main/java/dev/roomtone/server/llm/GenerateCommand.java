package dev.roomtone.server.llm;

import dev.roomtone.multimodal.engine.compute.Backend;
import dev.roomtone.multimodal.engine.compute.Backends;
import dev.roomtone.multimodal.engine.generate.ChatTemplate;
import dev.roomtone.multimodal.engine.generate.Completion;
import dev.roomtone.multimodal.engine.generate.Generator;
import dev.roomtone.multimodal.engine.generate.SamplingParams;
import dev.roomtone.multimodal.engine.gguf.GgufException;
import dev.roomtone.multimodal.engine.model.InferenceSession;
import dev.roomtone.multimodal.engine.model.LlamaModel;
import dev.roomtone.multimodal.engine.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code roomtone generate --model M "prompt"}: streams a completion to the terminal. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate text with a local GGUF model, streaming it to the terminal.")
public final class GenerateCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE|NAME",
      description = "A GGUF file, or the name of an installed model.")
  private String model;

  @Parameters(paramLabel = "PROMPT", description = "The prompt (a user message with --chat).")
  private String prompt;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data directory with installed models (default: $ROOMTONE_DATA_DIR or ./data).")
  private Path dataDir;

  @Option(names = "--max-tokens", defaultValue = "256") private int maxTokens;
  @Option(names = "--temperature", defaultValue = "0.8", description = "0 is greedy.") private float temperature;
  @Option(names = "--top-k", defaultValue = "40") private int topK;
  @Option(names = "--top-p", defaultValue = "0.95") private float topP;
  @Option(names = "--min-p", defaultValue = "0.05") private float minP;
  @Option(names = "--repeat-penalty", defaultValue = "1.1") private float repeatPenalty;
  @Option(names = "--seed", defaultValue = "-1", description = "-1 picks one at random.") private long seed;
  @Option(names = "--threads", defaultValue = "0", description = "0 uses every core.") private int threads;
  @Option(names = "--context", defaultValue = "2048") private int context;
  @Option(names = "--stop", description = "Stop before this text (repeatable).") private List<String> stop = List.of();
  @Option(names = "--backend", defaultValue = "cpu", description = "cpu, opencl, opencl:N, or cuda / cuda:N (not yet run on a GPU).")
  private String backendName;
  @Option(names = "--raw", description = "Use the prompt as is, without the model's chat template.")
  private boolean raw;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file;
    try {
      file = ModelLocator.resolve(model, ModelLocator.dataDir(dataDir));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    long s = seed >= 0 ? seed : new java.util.Random().nextLong() & Long.MAX_VALUE;
    SamplingParams params;
    try {
      params = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, 64, s, maxTokens, stop);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Backend cpu;
    try {
      cpu = Backends.open(backendName, threads);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (LlamaModel m = LlamaModel.open(file); cpu) {
      Tokenizer tok = Tokenizer.of(m.file());
      ChatTemplate template = raw ? null : ChatTemplate.of(m.file(), tok.vocabulary());
      int[] tokens = template != null
          ? tok.encode(template.render(List.of(new ChatTemplate.Message("user", prompt)), true), true, true)
          : tok.encode(prompt, true, false);
      int ctx = Math.min(context, m.config().contextLength());
      InferenceSession session = new InferenceSession(m, cpu, ctx);
      AtomicBoolean interrupted = new AtomicBoolean();
      Thread hook = new Thread(() -> interrupted.set(true));
      Runtime.getRuntime().addShutdownHook(hook);
      Completion c;
      try {
        c = new Generator(session, tok).generate(tokens, params, piece -> {
          out.print(piece);
          out.flush();
        }, interrupted::get);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // already exiting
        }
      }
      out.println();
      out.flush();
      err.printf("[%s: %d prompt tokens at %.1f tok/s, %d generated at %.1f tok/s, seed %d, %s]%n",
          c.finish(), c.promptTokens(), c.prefillTokensPerSecond(), c.tokens().length,
          c.decodeTokensPerSecond(), s, cpu.name());
      err.flush();
      return 0;
    } catch (GgufException e) {
      err.println("roomtone generate: " + e.getMessage());
      return 1;
    }
  }
}
