package dev.parley.transforms.audio;

import com.jcraft.jogg.Packet;
import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.Comment;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;
import java.io.IOException;

/**
 * Ogg Vorbis decoded with JOrbis, fed by Parley's own page reader. Not through JOrbis's Java Sound provider
 * (vorbisspi): on the fixtures it returned no audio for a 16 kHz stream and half of a 44.1 kHz one.
 */
final class VorbisPcm extends BlockPcm {
  private final OggPacketReader packets;
  private final Info info = new Info();
  private final DspState dsp = new DspState();
  private final Block block;
  private final Packet packet = new Packet();
  private final float[][][] pcm = new float[1][][];
  private final int[] index;
  private long packetNumber;

  VorbisPcm(OggPacketReader packets) throws IOException {
    this.packets = packets;
    info.init();
    Comment comment = new Comment();
    comment.init();
    for (int i = 0; i < 3; i++) { // identification, comment and setup headers
      byte[] header = packets.next();
      if (header == null || info.synthesis_headerin(comment, wrap(header, i == 0)) < 0) {
        throw new IOException("Vorbis header packet " + i + " is missing or invalid");
      }
    }
    dsp.synthesis_init(info);
    block = new Block(dsp);
    index = new int[info.channels];
  }

  @Override
  public int sampleRate() {
    return info.rate;
  }

  @Override
  public int channels() {
    return info.channels;
  }

  @Override
  protected int nextBlock() throws IOException {
    while (true) {
      int frames = dsp.synthesis_pcmout(pcm, index);
      if (frames > 0) {
        short[] out = ensure(frames * info.channels);
        for (int c = 0; c < info.channels; c++) {
          float[] channel = pcm[0][c];
          for (int i = 0, at = c; i < frames; i++, at += info.channels) {
            float value = channel[index[c] + i];
            out[at] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value * 32767f)));
          }
        }
        dsp.synthesis_read(frames);
        return frames * info.channels;
      }
      byte[] data = packets.next();
      if (data == null) {
        return -1;
      }
      if (block.synthesis(wrap(data, false)) == 0) {
        dsp.synthesis_blockin(block);
      }
    }
  }

  private Packet wrap(byte[] data, boolean first) {
    packet.packet_base = data;
    packet.packet = 0;
    packet.bytes = data.length;
    packet.b_o_s = first ? 1 : 0;
    packet.e_o_s = 0;
    packet.granulepos = -1;
    packet.packetno = packetNumber++;
    return packet;
  }

  @Override
  public void close() throws IOException {
    packets.close();
  }
}
