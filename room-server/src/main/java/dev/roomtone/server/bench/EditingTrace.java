package dev.roomtone.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A recorded editing history (the public "editing-traces" format): patches of one typist
 * (sequential), or transactions of several typists with their causal parents (concurrent).
 * Positions and lengths count Unicode code points.
 */
public record EditingTrace(String name, String endContent, int agents, List<Txn> txns) {

  /** Delete {@code deleted} code points at {@code position}, then insert {@code inserted} there. */
  public record Patch(int position, int deleted, String inserted) {}

  /** Patches one agent made after seeing the transactions listed in {@code parents}. */
  public record Txn(int agent, int[] parents, List<Patch> patches) {}

  public boolean concurrent() {
    return agents > 1;
  }

  public int patchCount() {
    int n = 0;
    for (Txn t : txns) {
      n += t.patches.size();
    }
    return n;
  }

  /** Whether any text in the trace needs surrogate pairs (positions then differ from UTF-16 indices). */
  public boolean hasNonBmp() {
    if (hasSurrogate(endContent)) {
      return true;
    }
    for (Txn t : txns) {
      for (Patch p : t.patches) {
        if (hasSurrogate(p.inserted)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Reads a trace from a {@code .json} or {@code .json.gz} file. */
  public static EditingTrace read(Path file) throws IOException {
    JsonNode root;
    try (InputStream raw = Files.newInputStream(file);
         InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      root = new ObjectMapper().readTree(in);
    }
    String name = file.getFileName().toString().replaceFirst("\\.json(\\.gz)?$", "");
    return parse(name, root);
  }

  static EditingTrace parse(String name, JsonNode root) {
    JsonNode txnsNode = root.get("txns");
    JsonNode end = root.get("endContent");
    if (txnsNode == null || !txnsNode.isArray() || end == null || !end.isTextual()) {
      throw new IllegalArgumentException(name + ": not an editing trace (needs \"txns\" and \"endContent\")");
    }
    boolean concurrent = "concurrent".equals(root.path("kind").asText());
    int agents = concurrent ? root.path("numAgents").asInt(0) : 1;
    if (concurrent && agents < 1) {
      throw new IllegalArgumentException(name + ": a concurrent trace needs numAgents");
    }
    List<Txn> txns = new ArrayList<>(txnsNode.size());
    for (int i = 0; i < txnsNode.size(); i++) {
      JsonNode t = txnsNode.get(i);
      List<Patch> patches = new ArrayList<>();
      for (JsonNode p : t.path("patches")) {
        patches.add(new Patch(p.get(0).asInt(), p.get(1).asInt(), p.get(2).asText()));
      }
      int agent = concurrent ? t.path("agent").asInt() : 0;
      int[] parents;
      if (concurrent) {
        JsonNode ps = t.path("parents");
        parents = new int[ps.size()];
        for (int k = 0; k < parents.length; k++) {
          parents[k] = ps.get(k).asInt();
          if (parents[k] < 0 || parents[k] >= i) {
            throw new IllegalArgumentException(name + ": txn " + i + " names parent " + parents[k]
                + ", which does not come before it");
          }
        }
        if (agent < 0 || agent >= agents) {
          throw new IllegalArgumentException(name + ": txn " + i + " has agent " + agent + " of " + agents);
        }
      } else {
        parents = i == 0 ? new int[0] : new int[] {i - 1};
      }
      txns.add(new Txn(agent, parents, patches));
    }
    return new EditingTrace(name, end.asText(), agents, txns);
  }
}
