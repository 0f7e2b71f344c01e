package dev.roomtone.server.llm;

import dev.roomtone.multimodal.catalog.CatalogEntry;
import dev.roomtone.multimodal.catalog.ModelCatalog;
import dev.roomtone.multimodal.catalog.ModelDownloader;
import dev.roomtone.multimodal.catalog.ModelStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code roomtone models list | pull NAME | import FILE | rm NAME}. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Manage the local language models in the data directory.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Pull.class,
        ModelsCommand.Import.class, ModelsCommand.Remove.class})
public final class ModelsCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Data directory (default: $ROOMTONE_DATA_DIR or ./data).")
  Path dataDir;

  ModelStore store() {
    return new ModelStore(ModelLocator.dataDir(dataDir));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Name a command: list, pull, import or rm.");
  }

  @Command(name = "list", description = "Installed models and the built-in catalog.")
  static final class ListModels implements Callable<Integer> {
    @ParentCommand ModelsCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      ModelStore store = parent.store();
      out.println("Installed in " + store.directory() + ":");
      var installed = store.installed();
      if (installed.isEmpty()) {
        out.println("  (none) - add one with 'roomtone models pull NAME' or 'roomtone models import FILE'");
      }
      for (String n : installed) {
        out.printf("  %-36s %,d bytes%n", n, Files.size(store.path(n)));
      }
      out.println("Catalog:");
      for (CatalogEntry e : ModelCatalog.builtIn().entries()) {
        out.printf("  %-36s %s%n      %s%n      %,d bytes; licence: %s; SHA-256 %s%n", e.name(),
            e.description(), e.url(), e.sizeBytes(), e.licence(), e.sha256());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "pull", description = "Download a catalog model (resumable, checksum-verified).")
  static final class Pull implements Callable<Integer> {
    @ParentCommand ModelsCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      CatalogEntry e = ModelCatalog.builtIn().find(name).orElseThrow(() -> new ParameterException(
          spec.commandLine(), "no catalog model named " + name + " (see 'roomtone models list')"));
      PrintWriter err = spec.commandLine().getErr();
      Path target = parent.store().path(name);
      ProgressBar bar = new ProgressBar(err);
      ModelDownloader.standard().download(e.url(), target, e.sha256(), bar::update);
      bar.done();
      spec.commandLine().getOut().println("Installed " + name + " at " + target);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "import", description = "Copy a GGUF file in, after checking the engine can load it.")
  static final class Import implements Callable<Integer> {
    @ParentCommand ModelsCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "FILE") Path file;
    @Option(names = "--name", description = "Name to install it under (default: the file name).") String name;

    @Override
    public Integer call() throws Exception {
      String n = name != null ? name : file.getFileName().toString().replaceFirst("\\.gguf$", "");
      try {
        Path p = parent.store().importFile(file, n);
        spec.commandLine().getOut().println("Installed " + n + " at " + p);
        spec.commandLine().getOut().flush();
        return 0;
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  @Command(name = "rm", description = "Remove an installed model.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand ModelsCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      if (!parent.store().remove(name)) {
        throw new ParameterException(spec.commandLine(), "no installed model named " + name);
      }
      spec.commandLine().getOut().println("Removed " + name);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** A one-line progress bar on the terminal's error stream, redrawn at most every 1%. */
  static final class ProgressBar {
    private final PrintWriter err;
    private int lastPercent = -1;

    ProgressBar(PrintWriter err) {
      this.err = err;
    }

    void update(long bytes, long total) {
      if (total <= 0) {
        return;
      }
      int pct = (int) (bytes * 100 / total);
      if (pct != lastPercent) {
        lastPercent = pct;
        int filled = pct * 30 / 100;
        err.printf("\r[%s%s] %3d%% %,d / %,d bytes", "#".repeat(filled), " ".repeat(30 - filled),
            pct, bytes, total);
        err.flush();
      }
    }

    void done() {
      err.println();
      err.flush();
    }
  }
}
