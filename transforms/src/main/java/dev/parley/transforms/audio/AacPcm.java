package dev.parley.transforms.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jcodec.codecs.aac.AACDecoder;
import org.jcodec.common.DemuxerTrack;
import org.jcodec.common.model.AudioBuffer;
import org.jcodec.common.model.Packet;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;

/**
 * AAC in MP4 (M4A) decoded with JCodec: its demuxer hands out one AAC frame at a time, its AAC decoder (JAAD)
 * makes PCM. What the edit list leaves out (the encoder's priming at the start, padding at the end) is dropped.
 */
final class AacPcm extends BlockPcm {
  private final MP4Demuxer demuxer;
  private final DemuxerTrack track;
  private final AACDecoder decoder;
  private final ByteBuffer out = ByteBuffer.allocate(2048 * 8 * 2 * 2);
  private long skipSamples;
  private long samplesLeft;

  /**
   * @param primingFrames frames at the start the edit list skips
   * @param editedFrames frames the edit list keeps: the last AAC frame is padded past the end of the audio
   */
  AacPcm(MP4Demuxer demuxer, int sampleRate, int channels, long primingFrames, long editedFrames) throws IOException {
    super(sampleRate, channels);
    this.demuxer = demuxer;
    this.track = demuxer.getAudioTracks().get(0);
    this.decoder = new AACDecoder(track.getMeta().getCodecPrivate());
    this.skipSamples = primingFrames * channels;
    this.samplesLeft = editedFrames * channels;
  }



  @Override
  protected int nextBlock() throws IOException {
    Packet packet = track.nextFrame();
    if (packet == null || samplesLeft <= 0) {
      return -1;
    }
    out.clear();
    AudioBuffer frame = decoder.decodeFrame(packet.getData(), out);
    ByteBuffer data = frame.getData();
    data.order(frame.getFormat().isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int skipBytes = (int) Math.min(skipSamples * 2, data.remaining());
    skipSamples -= skipBytes / 2;
    data.position(data.position() + skipBytes);
    int samples = (int) Math.min(data.remaining() / 2, samplesLeft);
    samplesLeft -= samples;
    short[] block = ensure(samples);
    for (int i = 0; i < samples; i++) {
      block[i] = data.getShort();
    }
    return samples;
  }

  @Override
  public void close() throws IOException {
    demuxer.close();
  }
}
