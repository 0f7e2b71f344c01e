package dev.roomtone.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.roomtone.protocol.v1.events.DocumentUpdated;
import dev.roomtone.protocol.v1.events.RoomEvent;
import dev.roomtone.script.crdt.YDoc;
import dev.roomtone.server.config.ServerConfig;
import dev.roomtone.server.persistence.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code roomtone bench journal}: what storing one edit costs the embedded database, per commit and
 * per edit, for commits of 1 to N edits, against appending the same bytes to a plain file (the
 * least any store that writes each commit to the operating system before acknowledging can do).
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = {
        "The journal's cost per stored edit on H2, against appending to a plain file.",
        "Store typed characters the way a room's journal does: the journal table and the row the",
        "persistence plugin inserts, on the embedded H2 database the server uses (in a temp directory),",
        "one commit per batch of edits. The same bytes appended to a plain file are the anchor.",
        "Prints one JSON line per store and batch size (CPU and wall time per commit and per edit),",
        "then one comparing the two."
    })
public final class JournalBenchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--edits", defaultValue = "20000",
      description = "Edits stored per batch size, after a quarter as many for warm-up (default: ${DEFAULT-VALUE}).")
  private int edits;

  @Option(names = "--batches", split = ",", defaultValue = "1,2,5,10,20",
      description = "Edits per commit, one run each (default: ${DEFAULT-VALUE}).")
  private List<Integer> batches;

  @Option(names = "--rooms", defaultValue = "10", description = "Rooms the edits are spread over (default: ${DEFAULT-VALUE}).")
  private int rooms;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSERT = """
      INSERT INTO "event_journal" ("deleted", "persistence_id", "sequence_number", "writer", "write_timestamp",
        "adapter_manifest", "event_payload", "event_ser_id", "event_ser_manifest", "meta_payload", "meta_ser_id",
        "meta_ser_manifest") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  @Override
  public Integer call() throws Exception {
    if (edits < 1 || rooms < 1 || batches.isEmpty() || batches.stream().anyMatch(b -> b < 1 || b > edits)) {
      throw new ParameterException(spec.commandLine(),
          "--edits and --rooms must be positive, and each batch between 1 and --edits");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = spec.commandLine().getErr();
    byte[] event = typedCharacter();
    Path dir = Files.createTempDirectory("roomtone-journal-bench-");
    ObjectNode comparison = JSON.createObjectNode();
    comparison.put("bench", "journal");
    comparison.put("store", "comparison");
    ObjectNode ratios = comparison.putObject("h2_over_file_append_cpu_per_edit");
    ObjectNode h2PerEdit = comparison.putObject("h2_cpu_us_per_edit");
    try {
      for (int batch : batches) {
        progress.printf("batch of %d: H2, then a plain file...%n", batch);
        progress.flush();
        Measured h2 = h2(dir.resolve("h2-" + batch), batch, event);
        Measured append = fileAppend(dir.resolve("append-" + batch + ".log"), batch, event);
        out.println(line("h2", batch, h2));
        out.println(line("file-append", batch, append));
        out.flush();
        ratios.put(Integer.toString(batch), round((double) h2.cpuNanos() / Math.max(1, append.cpuNanos())));
        h2PerEdit.put(Integer.toString(batch), round(h2.cpuNanos() / 1e3 / h2.edits()));
      }
      out.println(comparison);
      out.flush();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  /** The journal event of one typed character, as a room stores it. */
  private static byte[] typedCharacter() {
    YDoc doc = new YDoc(4242);
    doc.getText("script").insert(0, "x");
    return RoomEvent.newBuilder().setAt(System.currentTimeMillis())
        .setDocumentUpdated(DocumentUpdated.newBuilder().setUpdate(ByteString.copyFrom(doc.encodeStateAsUpdate()))
            .setMemberId(UUID.randomUUID().toString()))
        .build().toByteArray();
  }

  private record Measured(long commits, long edits, long cpuNanos, long wallNanos, long bytes) {
  }

  private interface Commit {
    void write(int from, int count) throws Exception;
  }

  /** Runs a warm-up of a quarter of the edits, then the measured edits, in commits of {@code batch}. */
  private Measured run(int batch, Commit commit, java.util.function.LongSupplier size) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int warmup = Math.max(batch, edits / 4);
    for (int i = 0; i < warmup; i += batch) {
      commit.write(i, Math.min(batch, warmup - i));
    }
    long bytesBefore = size.getAsLong();
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    long commits = 0;
    for (int i = 0; i < edits; i += batch) {
      commit.write(warmup + i, Math.min(batch, edits - i));
      commits++;
    }
    return new Measured(commits, edits, threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall,
        size.getAsLong() - bytesBefore);
  }

  private Measured h2(Path dataDir, int batch, byte[] event) throws Exception {
    Database database = new Database(new ServerConfig.Database(ServerConfig.DatabaseKind.H2, "", "sa", "", 1), dataDir);
    database.createSchema();
    String writer = UUID.randomUUID().toString();
    long[] sequence = new long[rooms];
    try (Connection c = DriverManager.getConnection(database.url(), "sa", "");
         PreparedStatement insert = c.prepareStatement(INSERT, new String[] {"ordering"})) {
      c.setAutoCommit(false);
      Commit commit = (from, count) -> {
        for (int k = 0; k < count; k++) {
          int room = (from + k) % rooms;
          insert.setBoolean(1, false);
          insert.setString(2, "room|bench-room-" + room);
          insert.setLong(3, ++sequence[room]);
          insert.setString(4, writer);
          insert.setLong(5, System.currentTimeMillis());
          insert.setString(6, "");
          insert.setBytes(7, event);
          insert.setInt(8, 715_301); // the room events' serializer
          insert.setString(9, "RoomEvent");
          insert.setNull(10, Types.BLOB);
          insert.setNull(11, Types.INTEGER);
          insert.setNull(12, Types.VARCHAR);
          insert.addBatch();
        }
        insert.executeBatch();
        try (ResultSet keys = insert.getGeneratedKeys()) {
          while (keys.next()) {
            keys.getLong(1); // the plugin reads the ordering of every row it wrote
          }
        }
        c.commit();
      };
      return run(batch, commit, () -> sizeOf(dataDir));
    }
  }

  private Measured fileAppend(Path file, int batch, byte[] event) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(batch * (event.length + 4));
      Commit commit = (from, count) -> {
        buffer.clear();
        for (int k = 0; k < count; k++) {
          buffer.putInt(event.length).put(event);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      };
      return run(batch, commit, () -> sizeOf(file));
    }
  }

  private static long sizeOf(Path path) {
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  private String line(String store, int batch, Measured m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("bench", "journal");
    o.put("store", store);
    o.put("batch", batch);
    o.put("edits", m.edits());
    o.put("commits", m.commits());
    o.put("cpu_us_per_commit", round(m.cpuNanos() / 1e3 / m.commits()));
    o.put("cpu_us_per_edit", round(m.cpuNanos() / 1e3 / m.edits()));
    o.put("wall_us_per_commit", round(m.wallNanos() / 1e3 / m.commits()));
    o.put("file_growth_bytes_per_commit", Math.max(0, m.bytes()) / m.commits());
    return o.toString();
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
