package dev.roomtone.gpu;

/**
 * How costs become service units: prompt and output tokens weigh differently (writing a token
 * costs a forward pass, reading one is batched), images by steps × megapixels.
 */
public record CostWeights(double prompt, double output, double imageStepMegapixel) {

  /** The weights of the VTC paper for text (output twice prompt), and a step of a 1 MP image as 100 output tokens. */
  public static final CostWeights DEFAULT = new CostWeights(1, 2, 200);

  public CostWeights {
    if (!(prompt >= 0 && output >= 0 && imageStepMegapixel >= 0)) {
      throw new IllegalArgumentException("cost weights must not be negative");
    }
  }

  public double units(Cost cost) {
    return switch (cost) {
      case Cost.Text t -> prompt * t.promptTokens() + output * t.outputTokens();
      case Cost.Image i -> imageStepMegapixel * i.steps() * i.megapixels();
    };
  }

  /** The part charged when a job starts: reading the prompt happens at once. */
  public double atStart(Cost estimate) {
    return switch (estimate) {
      case Cost.Text t -> prompt * t.promptTokens();
      case Cost.Image i -> 0;
    };
  }
}
