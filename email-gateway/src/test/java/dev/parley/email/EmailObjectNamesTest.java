package dev.parley.email;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.transforms.ObjectNames;
import dev.parley.transforms.audio.AudioFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class EmailObjectNamesTest {
  private static final String MESSAGE_ID = "<vm-1@pbx.example>";

  @Test
  public void namesARecordingByTenantMailDateMessageIdAndIndexOnly() {
    String name = EmailObjectNames.audio("gs://parley-drop", "acme", mail(MESSAGE_ID, "2026-11-25T23:59:59Z"),
        attachment(2, "vm.wav"), AudioFormat.WAV);

    assertEquals("gs://parley-drop/acme/email/2026-11-25/" + EmailObjectNames.key(MESSAGE_ID) + "-2-vm.wav", name);
    assertEquals(16, EmailObjectNames.key(MESSAGE_ID).length());
    assertEquals("the same mail, the same name", name, EmailObjectNames.audio("gs://parley-drop/", "acme",
        mail(MESSAGE_ID, "2026-11-25T23:59:59Z"), attachment(2, "vm.wav"), AudioFormat.WAV));
    assertNotEquals(name, EmailObjectNames.audio("gs://parley-drop", "acme", mail("<vm-2@pbx.example>",
        "2026-11-25T23:59:59Z"), attachment(2, "vm.wav"), AudioFormat.WAV));
    assertEquals("/drop/acme/email/undated/" + EmailObjectNames.key(MESSAGE_ID) + "-1-vm.wav",
        EmailObjectNames.audio("/drop", "acme", mail(MESSAGE_ID, null), attachment(1, "vm.wav"), AudioFormat.WAV));
  }

  @Test
  public void makesAnySenderFileNameSafeAndVisibleToThePipeline() {
    assertEquals("passwd.wav", EmailObjectNames.safeName("../../etc/passwd", AudioFormat.WAV));
    assertEquals("x.wav", EmailObjectNames.safeName("C:\\calls\\x.wav", AudioFormat.WAV));
    assertEquals("hidden.mp3", EmailObjectNames.safeName(".hidden.mp3", AudioFormat.MP3));
    assertEquals("call.wav.part.wav", EmailObjectNames.safeName("call.wav.part", AudioFormat.WAV));
    assertEquals("meta.json.flac", EmailObjectNames.safeName("meta.json", AudioFormat.FLAC));
    assertEquals("Anruf_M_ller_1_.ogg", EmailObjectNames.safeName("Anruf Müller (1).ogg", AudioFormat.OGG));
    assertEquals("Call.M4A", EmailObjectNames.safeName("Call.M4A", AudioFormat.M4A));
    assertEquals("recording.webm", EmailObjectNames.safeName("", AudioFormat.WEBM));
    String longName = "x".repeat(300) + ".wav";
    assertEquals(100, EmailObjectNames.safeName(longName, AudioFormat.WAV).length());

    for (String fileName : List.of("../a.wav", ".x", "~tmp~", "a.tmp", "b.crdownload", "x".repeat(5000), "é\u0007.wav")) {
      String object = EmailObjectNames.audio("gs://b/drop", "acme", mail(MESSAGE_ID, null), attachment(1, fileName),
          AudioFormat.WAV);
      assertFalse(object, ObjectNames.isSkipped(object));
      assertTrue(object, ObjectNames.problem(object).isEmpty());
      assertTrue("its sidecar is read, not transcribed", ObjectNames.isSidecar(EmailObjectNames.sidecar(object)));
    }
  }

  @Test
  public void temporaryNamesAreSkippedByThePipelineAndStayInTheFolder() {
    String object = "gs://b/drop/acme/email/2026-11-25/0123456789abcdef-1-vm.wav";

    String temporary = EmailObjectNames.temporary(object, "nonce");

    assertEquals("gs://b/drop/acme/email/2026-11-25/.0123456789abcdef-1-vm.wav.nonce.part", temporary);
    assertTrue(ObjectNames.isSkipped(temporary));
    assertTrue(ObjectNames.isSkipped(EmailObjectNames.temporary(EmailObjectNames.sidecar(object), "nonce")));
  }

  private static InboundMail mail(String messageId, String sentAt) {
    return new InboundMail(List.of("r@acme.example"), "s@pbx.example", "subject", messageId, messageId,
        sentAt == null ? null : Instant.parse(sentAt), List.of());
  }

  private static MailAttachment attachment(int index, String fileName) {
    return new MailAttachment(index, fileName, "audio/wav", Path.of("unused"), 1);
  }
}
