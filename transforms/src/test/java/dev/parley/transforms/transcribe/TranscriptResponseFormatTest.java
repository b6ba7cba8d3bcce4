package dev.parley.transforms.transcribe;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.parley.model.ErrorCode;
import dev.parley.model.Transcript;
import java.util.List;
import org.junit.Test;

public class TranscriptResponseFormatTest {
  private static Transcript parse(String json, long duration) throws Exception {
    return TranscriptResponseFormat.parse(json, duration).setModel("m").setInputTokens(0).setOutputTokens(0).build();
  }

  private static String refused(String json, long duration) {
    TranscriptionException e = assertThrows(TranscriptionException.class, () -> parse(json, duration));
    assertEquals(ErrorCode.MODEL_RESPONSE_INVALID, e.code());
    assertTrue("a malformed answer is worth one more try", e.isRetryable());
    return e.getMessage();
  }

  @Test
  public void parsesAWellFormedAnswer() throws Exception {
    Transcript t = parse("""
        {"segments":[{"speaker":"Agent","startMs":0,"endMs":1500,"text":" Hello. "},
                     {"speaker":"Customer","startMs":1500,"endMs":10400,"text":"Hi."}],
         "language":"en-US","summary":"A greeting.","actionItems":["Call back", ""]}""", 10_000);
    assertEquals(2, t.getSegments().size());
    assertEquals("Hello.", t.getSegments().get(0).getText());
    assertEquals("end clamped to the recording", 10_000, t.getSegments().get(1).getEndMillis());
    assertEquals("en-US", t.getLanguage());
    assertEquals(List.of("Call back"), t.getActionItems());
  }

  @Test
  public void refusesMalformedTruncatedAndOffSchemaAnswers() {
    assertThat(refused("{\"segments\":[{\"speaker\":\"Agent\",\"startMs\":0,", 1000), containsString("not valid JSON"));
    assertThat(refused("", 1000), containsString("empty"));
    assertThat(refused("{\"language\":\"en\"}", 1000), containsString("no segments"));
    assertThat(refused("{\"segments\":[{\"startMs\":0,\"endMs\":1,\"text\":\"x\"}]}", 1000), containsString("no speaker"));
    assertThat(refused("{\"segments\":[{\"speaker\":\"A\",\"startMs\":\"soon\",\"endMs\":1,\"text\":\"x\"}]}", 1000),
        containsString("integer"));
    assertThat(refused("{\"segments\":[{\"speaker\":\"A\",\"startMs\":500,\"endMs\":100,\"text\":\"x\"}]}", 1000),
        containsString("runs from 500 ms to 100 ms"));
    assertThat(refused("{\"segments\":[{\"speaker\":\"A\",\"startMs\":0,\"endMs\":60000,\"text\":\"x\"}]}", 1000),
        containsString("after the recording's end"));
    assertThat(refused("{\"segments\":[{\"speaker\":\"A\",\"startMs\":900,\"endMs\":950,\"text\":\"x\"},"
        + "{\"speaker\":\"B\",\"startMs\":100,\"endMs\":200,\"text\":\"y\"}]}", 1000), containsString("before the previous"));
    assertThat(refused("{\"segments\":[]} trailing", 1000), containsString("not valid JSON"));
  }
}
