package dev.roomtone.gpu.device;

import java.util.ArrayList;
import java.util.List;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.Library;
import org.lwjgl.system.Platform;
import org.lwjgl.system.SharedLibrary;
import org.lwjgl.system.linux.DynamicLinkLoader;

/**
 * Opens a native library once, before LWJGL's binding class for it is touched: those classes
 * load their library in a static initializer that cannot be retried, so a missing library would
 * poison the class for the life of the JVM. A probe's failure is an ordinary answer with the
 * loader's message.
 */
final class NativeProbe {

  /** The library that opened (its name is then configured for LWJGL), or why none did. */
  record Result(String library, String failure) {
    boolean found() {
      return library != null;
    }
  }

  private NativeProbe() {
  }

  static Result probe(String module, Configuration<String> setting, List<String> defaults) {
    String configured = setting.get();
    List<String> candidates = configured != null ? List.of(configured) : defaults;
    List<String> failures = new ArrayList<>();
    for (String name : candidates) {
      String failure = Platform.get() == Platform.LINUX ? dlopen(name) : loadNative(module, name);
      if (failure == null) {
        setting.set(name);
        return new Result(name, null);
      }
      failures.add(failure);
    }
    return new Result(null, String.join("; ", failures));
  }

  // The system loader's own answer ("libcuda.so.1: cannot open shared object file: ..."), and
  // no hints printed on stderr as LWJGL's loader does.
  private static String dlopen(String name) {
    // clears a stale error, and initialises LWJGL's string decoding before dlopen: that first
    // initialisation looks up symbols itself, which would reset the error we are after
    DynamicLinkLoader.dlerror();
    long handle = DynamicLinkLoader.dlopen(name, DynamicLinkLoader.RTLD_LAZY | DynamicLinkLoader.RTLD_LOCAL);
    if (handle == 0) {
      String error = DynamicLinkLoader.dlerror();
      return error != null ? error : name + ": dlopen failed";
    }
    DynamicLinkLoader.dlclose(handle);
    return null;
  }

  private static String loadNative(String module, String name) {
    try (SharedLibrary lib = Library.loadNative(NativeProbe.class, module, name)) {
      return null;
    } catch (Throwable e) {
      return name + ": " + firstLine(e);
    }
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
