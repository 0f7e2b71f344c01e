package dev.roomtone.gpu.sim;

import dev.roomtone.gpu.Cost;
import dev.roomtone.gpu.JobSpec;
import dev.roomtone.gpu.ModelCatalog;
import dev.roomtone.gpu.PoolDevice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The workload of {@code roomtone bench scheduler}: ten rooms share two devices; one room
 * floods them with ten times the requests of each of the nine others, so that together they
 * ask for about 1.5× what the devices deliver. Three quarters of the jobs are text, a quarter
 * images. Seeded: the same seed gives the same arrivals.
 */
public record BenchWorkload(List<Simulation.SimDevice> devices, ModelCatalog catalog,
                            List<Simulation.Input.Arrival> arrivals, String floodRoom, List<String> lightRooms) {

  public static final long GIB = 1L << 30;
  public static final String TEXT_MODEL = "writer-8b";
  public static final String IMAGE_MODEL = "frames-xl";

  /** Two devices of different speed and memory, four slots each. */
  public static List<Simulation.SimDevice> pool() {
    return List.of(
        new Simulation.SimDevice(new PoolDevice("gpu0", 24 * GIB, 4), 1500),
        new Simulation.SimDevice(new PoolDevice("gpu1", 48 * GIB, 4), 2500));
  }

  public static ModelCatalog models() {
    return new ModelCatalog(Map.of(TEXT_MODEL, 9 * GIB, IMAGE_MODEL, 7 * GIB));
  }

  /** A text or image job with the bench's size distribution. */
  public static JobSpec randomJob(RandomGenerator random, String id, String room, String member) {
    if (random.nextDouble() < 0.75) {
      Cost cost = new Cost.Text(random.nextLong(500, 3001), random.nextLong(100, 601));
      return JobSpec.of(id, room, member, TEXT_MODEL, cost, GIB / 2);
    }
    double[] megapixels = {0.26, 0.59, 1.0};
    Cost cost = new Cost.Image(random.nextLong(20, 41), megapixels[random.nextInt(megapixels.length)]);
    return JobSpec.of(id, room, member, IMAGE_MODEL, cost, 2 * GIB);
  }

  /** Poisson arrivals over {@code length}: {@code lightRate} jobs per second per light room, ten times that for the flood. */
  public static BenchWorkload generate(long seed, Duration length, double lightRate) {
    RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    List<String> light = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      light.add("room-" + i);
    }
    String flood = "room-0";
    List<Simulation.Input.Arrival> arrivals = new ArrayList<>();
    int n = 0;
    List<String> rooms = new ArrayList<>(light);
    rooms.add(0, flood);
    for (String room : rooms) {
      double rate = room.equals(flood) ? 10 * lightRate : lightRate;
      double t = 0;
      while (true) {
        t += -Math.log(1 - random.nextDouble()) / rate;
        if (t >= length.toNanos() / 1e9) {
          break;
        }
        String member = room + "/member-" + random.nextInt(3);
        arrivals.add(new Simulation.Input.Arrival(Instant.EPOCH.plusNanos((long) (t * 1e9)),
            randomJob(random, "job-" + n++, room, member)));
      }
    }
    arrivals.sort(Comparator.comparing(Simulation.Input.Arrival::at));
    return new BenchWorkload(pool(), models(), arrivals, flood, light);
  }
}
