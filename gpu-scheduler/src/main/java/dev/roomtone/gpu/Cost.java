package dev.roomtone.gpu;

/**
 * An amount of work: estimated before a job runs, reported as it is delivered. Turned into
 * service units by {@link CostWeights}.
 */
public sealed interface Cost {

  JobKind kind();

  /** Language-model work: tokens read (prompt) and tokens written (output). */
  record Text(long promptTokens, long outputTokens) implements Cost {
    public Text {
      if (promptTokens < 0 || outputTokens < 0) {
        throw new IllegalArgumentException("token counts cannot be negative");
      }
    }

    @Override
    public JobKind kind() {
      return JobKind.TEXT;
    }
  }

  /** Image work: denoising steps at a resolution in megapixels. */
  record Image(long steps, double megapixels) implements Cost {
    public Image {
      if (steps < 0 || !(megapixels >= 0) || Double.isInfinite(megapixels)) {
        throw new IllegalArgumentException("steps and megapixels must be finite and not negative");
      }
    }

    @Override
    public JobKind kind() {
      return JobKind.IMAGE;
    }
  }
}
