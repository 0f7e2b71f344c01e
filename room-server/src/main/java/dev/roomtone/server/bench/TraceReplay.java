package dev.roomtone.server.bench;

import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.script.crdt.YText;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Replays an {@link EditingTrace} with Roomtone's document, the way a typing user produces it: one
 * local transaction per patch. A concurrent trace runs one document per agent; before an agent's
 * transaction, it receives the updates of every ancestor transaction it has not seen yet.
 */
public final class TraceReplay {

  /** What one run measured. */
  public record Result(boolean correct, double replayMs, double encodeMs, double loadMs, int updateBytes,
                       double loadedDocMb) {}

  private final EditingTrace trace;
  private final boolean nonBmp;

  public TraceReplay(EditingTrace trace) {
    this.trace = trace;
    this.nonBmp = trace.hasNonBmp();
  }

  public Result run() {
    long t0 = System.nanoTime();
    YDoc[] docs = trace.concurrent() ? replayConcurrent() : new YDoc[] {replaySequential()};
    long t1 = System.nanoTime();
    boolean correct = true;
    for (YDoc d : docs) {
      correct &= trace.endContent().equals(d.getText("text").toString());
    }
    byte[] update = docs[0].encodeStateAsUpdate();
    long t2 = System.nanoTime();
    docs = null;
    // retained heap of the loaded document: used heap after full collections, with the encoded
    // bytes reachable in both readings so that only the document makes the difference
    long before = usedHeapAfterGc();
    long t3 = System.nanoTime();
    YDoc loaded = new YDoc(1_000_000);
    loaded.applyUpdate(update);
    double loadMs = (System.nanoTime() - t3) / 1e6;
    correct &= trace.endContent().equals(loaded.getText("text").toString());
    long after = usedHeapAfterGc();
    Reference.reachabilityFence(loaded);
    Reference.reachabilityFence(update);
    double mb = Math.max(0, after - before) / (1024.0 * 1024.0);
    int bytes = update.length;
    return new Result(correct, (t1 - t0) / 1e6, (t2 - t1) / 1e6, loadMs, bytes, mb);
  }

  private YDoc replaySequential() {
    YDoc doc = new YDoc(1);
    YText text = doc.getText("text");
    for (EditingTrace.Txn txn : trace.txns()) {
      for (EditingTrace.Patch p : txn.patches()) {
        applyPatch(doc, text, p);
      }
    }
    return doc;
  }

  private void applyPatch(YDoc doc, YText text, EditingTrace.Patch p) {
    int pos = p.position();
    int del = p.deleted();
    if (nonBmp) {
      // positions count code points; convert against the current text
      String s = text.toString();
      int start = s.offsetByCodePoints(0, pos);
      del = s.offsetByCodePoints(start, del) - start;
      pos = start;
    }
    int position = pos;
    int deleted = del;
    doc.transact(txn -> {
      if (deleted > 0) {
        text.delete(position, deleted);
      }
      if (!p.inserted().isEmpty()) {
        text.insert(position, p.inserted());
      }
    });
  }

  private YDoc[] replayConcurrent() {
    int agents = trace.agents();
    YDoc[] docs = new YDoc[agents];
    YText[] texts = new YText[agents];
    for (int a = 0; a < agents; a++) {
      docs[a] = new YDoc(a + 1);
      texts[a] = docs[a].getText("text");
    }
    List<EditingTrace.Txn> txns = trace.txns();
    // The update each transaction produced, delivered to other agents once they depend on it.
    List<List<byte[]>> produced = new ArrayList<>(txns.size());
    BitSet[] seen = new BitSet[agents];
    for (int a = 0; a < agents; a++) {
      seen[a] = new BitSet(txns.size());
    }
    List<byte[]> sink = new ArrayList<>();
    for (YDoc d : docs) {
      d.onUpdate((u, origin, txn) -> {
        if (origin != REMOTE) {
          sink.add(u);
        }
      });
    }
    for (int i = 0; i < txns.size(); i++) {
      EditingTrace.Txn txn = txns.get(i);
      int a = txn.agent();
      for (int parent : txn.parents()) {
        deliver(docs[a], seen[a], produced, txns, parent);
      }
      sink.clear();
      for (EditingTrace.Patch p : txn.patches()) {
        applyPatch(docs[a], texts[a], p);
      }
      produced.add(new ArrayList<>(sink));
      seen[a].set(i);
    }
    for (int a = 0; a < agents; a++) {
      for (int i = 0; i < txns.size(); i++) {
        deliver(docs[a], seen[a], produced, txns, i);
      }
    }
    return docs;
  }

  private static final Object REMOTE = new Object();

  /** Applies transaction {@code target} and its unseen ancestors to {@code doc}, parents first. */
  private static void deliver(YDoc doc, BitSet seen, List<List<byte[]>> produced, List<EditingTrace.Txn> txns,
                              int target) {
    if (seen.get(target)) {
      return;
    }
    // iterative depth-first walk: traces have causal chains far longer than the call stack
    ArrayList<int[]> stack = new ArrayList<>();
    stack.add(new int[] {target, 0});
    while (!stack.isEmpty()) {
      int[] top = stack.get(stack.size() - 1);
      int[] parents = txns.get(top[0]).parents();
      if (top[1] < parents.length) {
        int p = parents[top[1]++];
        if (!seen.get(p)) {
          stack.add(new int[] {p, 0});
        }
        continue;
      }
      stack.remove(stack.size() - 1);
      if (!seen.get(top[0])) {
        for (byte[] u : produced.get(top[0])) {
          doc.applyUpdate(u, REMOTE);
        }
        seen.set(top[0]);
      }
    }
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
