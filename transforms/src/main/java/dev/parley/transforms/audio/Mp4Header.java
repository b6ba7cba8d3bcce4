package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import org.jcodec.codecs.aac.AACUtils;
import org.jcodec.containers.mp4.MP4Util;
import org.jcodec.containers.mp4.boxes.AudioSampleEntry;
import org.jcodec.containers.mp4.boxes.Edit;
import org.jcodec.containers.mp4.boxes.MovieBox;
import org.jcodec.containers.mp4.boxes.SampleEntry;
import org.jcodec.containers.mp4.boxes.TrakBox;

/**
 * An M4A (MP4 audio) recording from its {@code moov} box, parsed by JCodec: the sound track's media header
 * ({@code mdhd}: timescale and duration) and sample entry (channels, rate, codec). The top-level boxes are
 * walked by their headers, so the {@code mdat} audio is skipped wherever {@code moov} sits. JCodec, rather than
 * a box parser alone, because its AAC decoder is what Parley decodes M4A with.
 */
final class Mp4Header {
  static final String AAC_FOURCC = "mp4a";

  private Mp4Header() {}

  static AudioInfo read(SeekableByteChannel channel, long size) throws IOException, AudioProbeException {
    JcodecChannel input = new JcodecChannel(channel);
    checkRootBoxes(input, size);
    input.setPosition(0);
    MovieBox movie = movie(input);
    TrakBox track = soundTrack(movie);
    SampleEntry[] entries = track.getSampleEntries();
    if (entries == null || entries.length == 0 || !(entries[0] instanceof AudioSampleEntry entry)) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "M4A sound track has no audio sample description");
    }
    String fourcc = entry.getHeader().getFourcc();
    if (!AAC_FOURCC.equals(fourcc)) {
      throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT, "M4A audio coded as '" + fourcc
          + "' is not supported; AAC ('mp4a') is");
    }
    if (track.getTimescale() <= 0 || track.getMediaDuration() <= 0) {
      throw new AudioProbeException(ErrorCode.AUDIO_ZERO_DURATION, "M4A sound track declares no duration");
    }
    // The sample entry's own channel count is 2 by convention for AAC: the AudioSpecificConfig has the truth.
    AACUtils.AACMetadata config = AACUtils.getMetadata(entry);
    int channels = config == null ? entry.getChannelCount() : config.getFormat().getChannels();
    int rate = config == null ? Math.round(entry.getSampleRate()) : config.getFormat().getSampleRate();
    if (channels < 1 || channels > 8 || rate <= 0) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "M4A sound track declares " + channels
          + " channels at " + rate + " Hz");
    }
    return AudioInfo.builder()
        .setFormat(AudioFormat.M4A.name())
        .setCodec("AAC")
        .setMimeType(AudioFormat.M4A.mimeType())
        .setDurationMillis(durationMillis(movie, track))
        .setSampleRateHz(rate)
        .setChannels(channels)
        .setBitsPerSample(null)
        .build();
  }

  /**
   * The edit list's duration when there is one: it cuts the encoder's priming samples, which the media header
   * ({@code mdhd}) still counts.
   */
  private static long durationMillis(MovieBox movie, TrakBox track) {
    List<Edit> edits = track.getEdits();
    if (edits == null || edits.isEmpty() || movie.getTimescale() <= 0) {
      return track.getMediaDuration() * 1000 / track.getTimescale();
    }
    long total = 0;
    for (Edit edit : edits) {
      if (edit.getMediaTime() >= 0) { // -1 is an empty edit: a delay before the track starts, not audio.
        total += edit.getDuration();
      }
    }
    return total * 1000 / movie.getTimescale();
  }

  /** Samples at the start that the edit list skips: the AAC encoder's priming, at {@code sampleRate}. */
  static long primingFrames(MovieBox movie, int sampleRate) {
    TrakBox track = movie.getAudioTracks().get(0);
    List<Edit> edits = track.getEdits();
    if (edits == null || track.getTimescale() <= 0) {
      return 0;
    }
    for (Edit edit : edits) {
      if (edit.getMediaTime() >= 0) {
        return edit.getMediaTime() * sampleRate / track.getTimescale();
      }
    }
    return 0;
  }

  /** A box that runs past the end of the file means an interrupted upload. */
  private static void checkRootBoxes(JcodecChannel input, long size) throws IOException, AudioProbeException {
    List<MP4Util.Atom> atoms;
    try {
      atoms = MP4Util.getRootAtoms(input);
    } catch (RuntimeException e) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "M4A box structure is unreadable: " + e.getMessage());
    }
    for (MP4Util.Atom atom : atoms) {
      if (atom.getOffset() + atom.getHeader().getSize() > size) {
        throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "M4A file ends inside its '"
            + atom.getHeader().getFourcc() + "' box");
      }
    }
  }

  static MovieBox movie(JcodecChannel input) throws IOException, AudioProbeException {
    MovieBox movie;
    try {
      movie = MP4Util.parseMovieChannel(input);
    } catch (RuntimeException e) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "M4A moov box is unreadable: " + e.getMessage());
    }
    if (movie == null) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "M4A file has no moov box");
    }
    return movie;
  }

  private static TrakBox soundTrack(MovieBox movie) throws AudioProbeException {
    List<TrakBox> tracks = movie.getAudioTracks();
    if (tracks.isEmpty()) {
      throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT, "M4A file has no sound track");
    }
    return tracks.get(0);
  }
}
