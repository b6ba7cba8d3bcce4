package dev.parley.transforms.audio;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.Test;

/** Every container from its headers, on files made by ffmpeg (see src/test/resources/audio/make-fixtures.sh). */
public class AudioProbeTest {
  static byte[] fixture(String name) throws IOException {
    try (InputStream in = AudioProbeTest.class.getResourceAsStream("/audio/" + name)) {
      return in.readAllBytes();
    }
  }

  private static AudioInfo probe(byte[] bytes) throws Exception {
    return AudioProbe.probe(new BytesChannel(bytes), bytes.length);
  }

  private static ErrorCode failure(byte[] bytes) {
    return assertThrows(AudioProbeException.class, () -> probe(bytes)).code();
  }

  private static void assertDescribes(String name, String format, String codec, int rate, int channels,
      long millis, long toleranceMillis) throws Exception {
    AudioInfo info = probe(fixture(name));
    assertEquals(name, format, info.getFormat());
    assertEquals(name, codec, info.getCodec());
    assertEquals(name, rate, info.getSampleRateHz());
    assertEquals(name, channels, info.getChannels());
    assertEquals(name + " lasts " + info.getDurationMillis(), millis, info.getDurationMillis(), toleranceMillis);
  }

  @Test
  public void describesEveryContainerFromItsHeaders() throws Exception {
    assertDescribes("tone.flac", "FLAC", "FLAC", 8000, 1, 2000, 0);
    assertDescribes("tone-cbr.mp3", "MP3", "MP3", 16000, 1, 2000, 120); // Info tag
    assertDescribes("tone-noxing.mp3", "MP3", "MP3", 16000, 1, 2000, 120); // bitrate x size
    assertDescribes("tone-vbr.mp3", "MP3", "MP3", 16000, 1, 2000, 120); // Xing tag
    assertDescribes("tone-stereo.mp3", "MP3", "MP3", 16000, 2, 2000, 120);
    assertDescribes("tone-vorbis.ogg", "OGG", "VORBIS", 16000, 1, 2000, 0);
    assertDescribes("tone-opus.ogg", "OGG", "OPUS", 16000, 1, 2000, 10);
    assertDescribes("tone.m4a", "M4A", "AAC", 16000, 1, 2000, 30);
    assertEquals("audio/ogg", probe(fixture("tone-opus.ogg")).getMimeType());
    assertEquals("audio/mp4", probe(fixture("tone.m4a")).getMimeType());
  }

  @Test
  public void cutOffFilesAreTruncated() throws Exception {
    for (String name : new String[] {"tone-cbr.mp3", "tone-vorbis.ogg", "tone-opus.ogg", "tone.m4a"}) {
      byte[] whole = fixture(name);
      assertEquals(name, ErrorCode.AUDIO_TRUNCATED, failure(Arrays.copyOf(whole, whole.length * 2 / 3)));
    }
    assertEquals(ErrorCode.AUDIO_TRUNCATED, failure(Arrays.copyOf(fixture("tone.flac"), 20)));
  }

  @Test
  public void damagedHeadersAreCorruptOrUnsupported() throws Exception {
    byte[] flac = fixture("tone.flac");
    Arrays.fill(flac, 8, 30, (byte) 0); // STREAMINFO: rate, channels and sample count zeroed
    assertEquals(ErrorCode.AUDIO_CORRUPT, failure(flac));

    byte[] mp3 = fixture("tone-noxing.mp3");
    byte[] noFrames = new byte[mp3.length];
    noFrames[0] = (byte) 0xff;
    noFrames[1] = (byte) 0xfb; // one frame sync at the start, then nothing that parses
    assertEquals(ErrorCode.AUDIO_CORRUPT, failure(noFrames));

    byte[] ogg = fixture("tone-vorbis.ogg");
    ogg[28] = 'X'; // the identification packet is no longer "\1vorbis"
    assertEquals(ErrorCode.AUDIO_UNSUPPORTED_FORMAT, failure(ogg));

    byte[] m4a = fixture("tone.m4a");
    byte[] noMoov = Arrays.copyOf(m4a, m4a.length);
    for (int i = 0; i + 4 <= noMoov.length; i++) {
      if (noMoov[i] == 'm' && noMoov[i + 1] == 'o' && noMoov[i + 2] == 'o' && noMoov[i + 3] == 'v') {
        noMoov[i] = 'f'; // renamed to 'foov': a box nobody knows
      }
    }
    assertEquals(ErrorCode.AUDIO_CORRUPT, failure(noMoov));

    assertEquals(ErrorCode.AUDIO_UNSUPPORTED_FORMAT, failure(fixture("tone.webm")));
  }
}
