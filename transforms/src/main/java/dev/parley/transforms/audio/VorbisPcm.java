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
  private final Info info;
  private final DspState dsp = new DspState();
  private final Block block;
  private final Packet packet = new Packet();
  private final float[][][] pcm = new float[1][][];
  private final int[] index;
  private long packetNumber = 3;

  private VorbisPcm(OggPacketReader packets, Info info) {
    super(info.rate, info.channels);
    this.packets = packets;
    this.info = info;
    dsp.synthesis_init(info);
    block = new Block(dsp);
    index = new int[info.channels];
  }



  /** Reads the identification, comment and setup headers, then decodes the audio packets after them. */
  static VorbisPcm open(OggPacketReader packets) throws IOException {
    Info info = new Info();
    info.init();
    Comment comment = new Comment();
    comment.init();
    Packet packet = new Packet();
    for (int i = 0; i < 3; i++) {
      byte[] header = packets.next();
      if (header == null || info.synthesis_headerin(comment, wrap(packet, header, i == 0, i)) < 0) {
        throw new IOException("Vorbis header packet " + i + " is missing or invalid");
      }
    }
    return new VorbisPcm(packets, info);
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
      if (block.synthesis(wrap(packet, data, false, packetNumber++)) == 0) {
        dsp.synthesis_blockin(block);
      }
    }
  }

  private static Packet wrap(Packet packet, byte[] data, boolean first, long number) {
    packet.packet_base = data;
    packet.packet = 0;
    packet.bytes = data.length;
    packet.b_o_s = first ? 1 : 0;
    packet.e_o_s = 0;
    packet.granulepos = -1;
    packet.packetno = number;
    return packet;
  }

  @Override
  public void close() throws IOException {
    packets.close();
  }
}
