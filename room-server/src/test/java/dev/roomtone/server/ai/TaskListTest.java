package dev.roomtone.server.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roomtone.multimodal.tasks.ScreenwritingTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The browser offers exactly the tasks the server runs, in the same order. */
class TaskListTest {

  @Test
  void theWebClientsTaskListMatchesTheServersTasks() throws Exception {
    String room = Files.readString(Path.of("../web-client/src/room/room.ts"));
    String list = room.substring(room.indexOf("const TASKS"), room.indexOf("];", room.indexOf("const TASKS")));
    List<String> client = Pattern.compile("id: '([a-z_]+)'").matcher(list).results().map(m -> m.group(1)).toList();
    assertEquals(Arrays.stream(ScreenwritingTask.values()).map(ScreenwritingTask::id).toList(), client);
  }
}
