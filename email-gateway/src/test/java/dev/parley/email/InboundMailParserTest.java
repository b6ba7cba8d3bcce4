package dev.parley.email;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class InboundMailParserTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void readsEnvelopeHeadersAndNumberedAttachments() throws Exception {
    byte[] wav = TestAudio.wav(20, 1); // Larger than what the parser keeps in memory: spooled to a file.
    InboundMail mail = parse(ParseMail.to("a@acme.example").alsoTo("b@initech.example")
        .from("\"Voicemail, Front Desk\" <VM@pbx.example>")
        .attach("one.wav", "audio/wav", wav).attach("two.txt", "text/plain", new byte[] {'x'}));

    assertEquals(List.of("a@acme.example", "b@initech.example"), mail.recipients());
    assertEquals("VM@pbx.example", mail.sender());
    assertEquals("<vm-20261125-0001@acme-pbx.example>", mail.messageId());
    assertEquals(mail.messageId(), mail.dedupeKey());
    assertEquals(Instant.parse("2026-11-25T09:59:58Z"), mail.sentAt());
    assertEquals(2, mail.attachments().size());
    MailAttachment first = mail.attachments().get(0);
    assertEquals(List.of(1, "one.wav", "audio/wav", (long) wav.length),
        List.of(first.index(), first.fileName(), first.contentType(), first.sizeBytes()));
    assertArrayEquals("still there after the parser closed its parts", wav, Files.readAllBytes(first.content()));
    assertEquals(2, mail.attachments().get(1).index());
  }

  @Test
  public void identifiesAMailWithoutMessageIdByItsHeaders() throws Exception {
    InboundMail mail = parse(ParseMail.to("a@acme.example").messageId(null).from("no address at all"));

    assertNull(mail.messageId());
    assertEquals("an unreadable From falls back to the envelope sender", "bounces+1234@acme-pbx.example",
        mail.sender());
    assertThat(mail.dedupeKey(), startsWith("headers:Received: by mx0047p1mdw1.sendgrid.net"));
    assertEquals("the same on a retry", mail.dedupeKey(),
        parse(ParseMail.to("a@acme.example").messageId(null).from("no address at all")).dedupeKey());
  }

  @Test
  public void refusesWhatIsNotAnInboundParsePostOfParsedMail() throws Exception {
    assertMalformed(ParseMail.to("a@acme.example").field("envelope", null), "the envelope field is missing");
    assertMalformed(ParseMail.to("a@acme.example").field("envelope", "{\"to\":[]}"), "the envelope names no recipient");
    assertMalformed(ParseMail.to("a@acme.example").field("envelope", "not json"), "the envelope field is not JSON");
    assertMalformed(ParseMail.to("a@acme.example").field("email", "From: x@y\r\n\r\nraw MIME"),
        "raw MIME posts are not supported: turn off 'send raw' in the parse settings");
  }

  private void assertMalformed(ParseMail mail, String message) {
    RefusedException e = assertThrows(RefusedException.class, () -> parse(mail));
    assertEquals(Refusal.MALFORMED, e.refusal());
    assertEquals(message, e.getMessage());
  }

  private InboundMail parse(ParseMail mail) throws Exception {
    ParseMail.Post post = mail.post();
    Path body = tmp.newFile().toPath();
    Files.write(body, post.body());
    return new InboundMailParser().parse(post.contentType(), body, tmp.newFolder().toPath());
  }
}
