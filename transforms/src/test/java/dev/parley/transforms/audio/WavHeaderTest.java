package dev.parley.transforms.audio;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import dev.parley.transforms.TestWavs;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.Test;

public class WavHeaderTest {
  private static AudioInfo probe(byte[] bytes) throws Exception {
    return AudioProbe.probe(new BytesChannel(bytes), bytes.length);
  }

  private static ErrorCode failure(byte[] bytes) {
    return assertThrows(AudioProbeException.class, () -> probe(bytes)).code();
  }

  @Test
  public void readsPcmMulawAndAlaw() throws Exception {
    AudioInfo pcm = probe(TestWavs.wav(1, 2, 16000, 16, 16000 * 3));
    assertEquals("PCM_S16LE", pcm.getCodec());
    assertEquals(3000, pcm.getDurationMillis());
    assertEquals(2, pcm.getChannels());
    assertEquals(16000, pcm.getSampleRateHz());
    assertEquals("audio/wav", pcm.getMimeType());

    AudioInfo mulaw = probe(TestWavs.wav(7, 1, 8000, 8, 8000 * 90));
    assertEquals("MULAW", mulaw.getCodec());
    assertEquals(90_000, mulaw.getDurationMillis());
    assertEquals("ALAW", probe(TestWavs.wav(6, 1, 8000, 8, 8000)).getCodec());
    assertEquals("PCM_F32LE", probe(TestWavs.wav(3, 1, 48000, 32, 4800)).getCodec());
  }

  @Test
  public void skipsOtherChunksAndReadsExtensibleFormat() throws Exception {
    byte[] list = TestWavs.chunk("LIST", 33); // odd size: padded
    ByteArrayOutputStream extra = new ByteArrayOutputStream();
    extra.writeBytes(list);
    extra.writeBytes(TestWavs.chunk("fact", 4));
    byte[] bytes = TestWavs.withChunks(0xFFFE, 1, 8000, 16, 8000 * 2, extra.toByteArray(), 40);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(20 + 24, (short) 1); // sub-format PCM
    AudioInfo info = probe(bytes);
    assertEquals("PCM_S16LE", info.getCodec());
    assertEquals(2000, info.getDurationMillis());
  }

  @Test
  public void treatsAnUnknownDataSizeAsTheRestOfTheFile() throws Exception {
    byte[] bytes = TestWavs.wav(1, 1, 8000, 16, 8000);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 0xFFFFFFFF);
    assertEquals(1000, probe(bytes).getDurationMillis());
  }

  @Test
  public void refusesBrokenFilesWithStableCodes() {
    byte[] good = TestWavs.wav(1, 1, 8000, 16, 8000 * 4);
    assertEquals(ErrorCode.AUDIO_TRUNCATED, failure(Arrays.copyOf(good, good.length / 2)));
    assertEquals(ErrorCode.AUDIO_TRUNCATED, failure(Arrays.copyOf(good, 30)));
    assertEquals(ErrorCode.AUDIO_ZERO_DURATION, failure(TestWavs.wav(1, 1, 8000, 16, 0)));
    assertEquals(ErrorCode.AUDIO_EMPTY, failure(new byte[0]));
    assertEquals(ErrorCode.AUDIO_UNSUPPORTED_FORMAT, failure("hello, not audio".getBytes()));
    assertEquals(ErrorCode.AUDIO_UNSUPPORTED_FORMAT, failure(TestWavs.wav(0x55, 1, 8000, 16, 10)));

    byte[] zeroChannels = good.clone();
    ByteBuffer.wrap(zeroChannels).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 0);
    assertEquals(ErrorCode.AUDIO_CORRUPT, failure(zeroChannels));
    byte[] badRate = good.clone();
    ByteBuffer.wrap(badRate).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 3);
    assertEquals(ErrorCode.AUDIO_CORRUPT, failure(badRate));
    byte[] badAlign = good.clone();
    ByteBuffer.wrap(badAlign).order(ByteOrder.LITTLE_ENDIAN).putShort(32, (short) 7);
    assertEquals(ErrorCode.AUDIO_CORRUPT, failure(badAlign));
  }

  @Test
  public void recognisesOtherContainersByMagic() {
    assertEquals(AudioFormat.FLAC, AudioFormat.sniff("fLaC\0\0\0\0\0\0\0\0".getBytes(), 12).orElseThrow());
    assertEquals(AudioFormat.OGG, AudioFormat.sniff("OggS\0\0\0\0\0\0\0\0".getBytes(), 12).orElseThrow());
    assertEquals(AudioFormat.MP3, AudioFormat.sniff("ID3\3\0\0\0\0\0\0\0\0".getBytes(), 12).orElseThrow());
    assertEquals(AudioFormat.M4A, AudioFormat.sniff("\0\0\0\u0020ftypM4A ".getBytes(), 12).orElseThrow());
    assertEquals(AudioFormat.MP3, AudioFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xFB, 0, 0}, 4).orElseThrow());
  }
}
