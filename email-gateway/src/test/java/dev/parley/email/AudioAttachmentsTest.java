package dev.parley.email;

import static org.junit.Assert.assertEquals;

import dev.parley.transforms.audio.AudioFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AudioAttachmentsTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void recognisesRecordingsByTheirBytesWhateverTheyAreCalled() throws Exception {
    assertEquals(Optional.of(AudioFormat.WAV), detect("application/octet-stream", TestAudio.wav(0.1, 1)));
    assertEquals(Optional.of(AudioFormat.WAV), detect(null, TestAudio.wav(0.1, 1)));
    assertEquals(Optional.of(AudioFormat.FLAC), detect("audio/flac", ascii("fLaC\0\0\0\"")));
    assertEquals(Optional.of(AudioFormat.OGG), detect("application/ogg", ascii("OggS\0\2\0\0\0\0\0\0")));
    assertEquals(Optional.of(AudioFormat.MP3), detect("audio/mpeg", ascii("ID3\4\0\0\0\0\0\0")));
    assertEquals(Optional.of(AudioFormat.M4A), detect("video/mp4; name=memo.m4a", ascii("\0\0\0\30ftypM4A ")));
    assertEquals(Optional.of(AudioFormat.WEBM), detect("audio/webm", new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3}));
  }

  @Test
  public void ignoresWhatIsNotAudioEvenWhenItClaimsToBe() throws Exception {
    assertEquals(Optional.empty(), detect("audio/wav", ascii("%PDF-1.7 a report named call.wav")));
    assertEquals(Optional.empty(), detect("audio/wav", new byte[0]));
    assertEquals("a WAV sent as an image is not taken", Optional.empty(), detect("image/png", TestAudio.wav(0.1, 1)));
    assertEquals(Optional.empty(), detect("text/plain", TestAudio.wav(0.1, 1)));
  }

  private Optional<AudioFormat> detect(String contentType, byte[] content) throws Exception {
    Path file = tmp.newFile().toPath();
    Files.write(file, content);
    return AudioAttachments.detect(new MailAttachment(1, "a", contentType, file, content.length));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
