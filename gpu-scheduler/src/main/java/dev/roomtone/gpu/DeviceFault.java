package dev.roomtone.gpu;

/** The device failed under a job (context lost, driver reset): every run on it is lost. */
public class DeviceFault extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceFault(String message) {
    super(message);
  }

  public DeviceFault(String message, Throwable cause) {
    super(message, cause);
  }
}
