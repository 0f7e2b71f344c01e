package dev.roomtone.server.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.multimodal.engine.gguf.GgmlType;
import dev.roomtone.multimodal.engine.model.SyntheticModel;
import dev.roomtone.server.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The language-model commands, run through the real command line on a tiny synthetic model. */
class LlmCommandsTest {
  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws Exception {
    model = SyntheticModel.write(dir.resolve("tiny.gguf"), SyntheticModel.Shape.TINY, GgmlType.Q8_0, 7);
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void generatesGreedilyAndReportsSpeed() {
    Run a = run("generate", "--model", model.toString(), "--temperature", "0", "--max-tokens", "8",
        "--threads", "2", "hello");
    assertEquals(0, a.code(), a.err());
    assertFalse(a.out().isBlank(), "streamed some text");
    assertTrue(a.err().contains("MAX_TOKENS: 9 prompt tokens") && a.err().contains("8 generated"),
        a.err());
    Run b = run("generate", "--model", model.toString(), "--temperature", "0", "--max-tokens", "8",
        "--threads", "1", "hello");
    assertEquals(a.out(), b.out(), "greedy output does not depend on the thread count");
  }

  @Test
  void refusesAMissingModelAndBadSampling() {
    Run r = run("generate", "--model", "no-such-model", "hi");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no model file or installed model named no-such-model"), r.err());
    Run s = run("generate", "--model", model.toString(), "--top-p", "0", "hi");
    assertEquals(2, s.code());
    assertTrue(s.err().contains("invalid sampling parameters"), s.err());
  }

  @Test
  void importsListsRunsByNameAndRemoves() throws Exception {
    Path data = dir.resolve("data");
    assertEquals(0, run("models", "--data-dir", data.toString(), "import", model.toString(),
        "--name", "tiny").code());
    Run list = run("models", "--data-dir", data.toString(), "list");
    assertTrue(list.out().contains("tiny"), list.out());
    assertTrue(list.out().contains("llama-3.2-1b-instruct-q4_k_m"), "lists the catalog");
    Run gen = run("generate", "--model", "tiny", "--data-dir", data.toString(), "--temperature", "0",
        "--max-tokens", "2", "hi");
    assertEquals(0, gen.code(), gen.err());
    assertEquals(0, run("models", "--data-dir", data.toString(), "rm", "tiny").code());
    assertFalse(Files.exists(data.resolve("models/tiny.gguf")));
    Run junk = run("models", "--data-dir", data.toString(), "import",
        Files.writeString(dir.resolve("junk.gguf"), "junk").toString());
    assertEquals(2, junk.code());
    assertTrue(junk.err().contains("bad magic") || junk.err().contains("not a GGUF"), junk.err());
    assertTrue(list.out().contains("807,694,464 bytes; licence: Llama 3.2 Community License; "
        + "SHA-256 6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83"), list.out());
    Run pull = run("models", "--data-dir", data.toString(), "pull", "no-such-model");
    assertEquals(2, pull.code());
    assertTrue(pull.err().contains("no catalog model named no-such-model"), pull.err());
  }

  @Test
  void benchPrintsJsonLines() throws Exception {
    Run r = run("bench", "llm", "--model", model.toString(), "--prompt", "8", "--decode", "4",
        "--threads", "2", "--no-anchor", "--backends", "cpu,opencl");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    JsonNode cpu = new ObjectMapper().readTree(lines.get(0));
    assertEquals("roomtone", cpu.get("engine").asText());
    assertEquals("cpu", cpu.get("backend").asText());
    assertTrue(cpu.get("prefill_tps").asDouble() > 0);
    assertTrue(cpu.get("decode_tps").asDouble() > 0);
    JsonNode cl = new ObjectMapper().readTree(lines.get(1));
    assertTrue(cl.get("backend").asText().startsWith("opencl:"), cl.toString());
  }
}
