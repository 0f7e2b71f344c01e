package dev.roomtone.server.bench;

import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Bytes a child JVM has allocated on its heap, read through its local management agent (attached
 * on demand, loopback only): the sum over all its threads, including the ones that have ended.
 */
final class JvmAllocation implements AutoCloseable {

  private final JMXConnector connector;
  private final ThreadMXBean threads;
  private final MemoryMXBean memory;

  JvmAllocation(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
    MBeanServerConnection conn = connector.getMBeanServerConnection();
    threads = ManagementFactory.newPlatformMXBeanProxy(conn, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    memory = ManagementFactory.newPlatformMXBeanProxy(conn, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
  }

  long totalAllocatedBytes() {
    return threads.getTotalThreadAllocatedBytes();
  }

  /**
   * Heap in use after a full collection: what the server holds on to, unlike its RSS, which also
   * counts heap it has not collected yet and heap it keeps reserved.
   */
  long heapUsedAfterGcBytes() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (Exception ignored) {
      // the server is going away anyway
    }
  }
}
