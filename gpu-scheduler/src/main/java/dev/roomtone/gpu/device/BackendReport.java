package dev.roomtone.gpu.device;

import java.util.List;

/** What discovery found on one backend, and in words why it found no more. */
public record BackendReport(Backend backend, Status status, String detail, List<ComputeDevice> devices) {

  public enum Status {
    /** The backend works and has at least one device. */
    FOUND,
    /** The backend is absent (no library, no driver, no device); normal on many machines. */
    NOT_FOUND,
    /** The backend is present but discovery failed. */
    FAILED
  }

  public BackendReport {
    devices = List.copyOf(devices);
  }

  static BackendReport notFound(Backend b, String detail) {
    return new BackendReport(b, Status.NOT_FOUND, detail, List.of());
  }

  static BackendReport failed(Backend b, String detail) {
    return new BackendReport(b, Status.FAILED, detail, List.of());
  }
}
